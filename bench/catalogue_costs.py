"""Where the catalogue import's database CPU goes, per 100,000 rows (PostgreSQL).

    python bench/catalogue_costs.py --rows 100000

Uses the synthetic file of `bench/catalogue.py` (written if missing) and a fresh database
(BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432; database BENCH_PG_DB, default
monitora_catalogue_costs, dropped and made again).
In one process and one server backend, it measures the backend's CPU seconds for:
a bare COPY of the raw file (the benchmark's reference), a COPY of the importer's cleaned rows
into its staging table with and without the generated search vector, and the Italian `to_tsvector`
alone over the staged text (plain SELECT, no parallel workers); then the merge of a first load:
`INSERT … SELECT` from the staging table into the catalogue (projects, then place links, with every
index and constraint but the projects' primary key dropped, as the importer does). The
reader side (Arrow + Polars) is timed too. Figures are quoted in docs/benchmarks.md.
"""

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import write_file  # noqa: E402


def backend_cpu(conn) -> float:
    times = psutil.Process(conn.info.backend_pid).cpu_times()
    return times.user + times.system


def measured(conn, label: str, rows: int, action) -> None:
    before, started = backend_cpu(conn), time.perf_counter()
    action()
    cpu = backend_cpu(conn) - before
    print(
        f"{label:<58} {cpu / rows * 1e5:6.2f} CPU s per 100k rows (wall {time.perf_counter() - started:.1f}s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    path = ROOT / "bench" / "out" / f"progetti_esteso_synth_{args.rows}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, args.rows)

    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    database = os.environ.get("BENCH_PG_DB", "monitora_catalogue_costs")
    url = f"{base}/{database}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench",  # noqa: S106 - throwaway benchmark settings
        SINGLE_PROCESS_CACHE_OK="1",
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=url,
    )
    for command in (["migrate", "--noinput", "-v0"], ["load_territories"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], env=env, cwd=ROOT, check=True, capture_output=True
        )
    os.environ.update(
        {k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")}
    )
    import django

    django.setup()
    import polars as pl
    from django.db import connection

    from monitora.catalogue.importing.cleaning import STAGE_COLUMNS, Cleaner, read_frames, source_hash_expr
    from monitora.catalogue.importing.columns import DATA_FIELDS, Layout
    from monitora.catalogue.importing.postgres import BULK_DDL, DOCUMENT, TYPES
    from monitora.catalogue.importing.source import open_source, read_header
    from monitora.catalogue.importing.staging import stage_columns
    from monitora.catalogue.importing.territories import territory_resolver

    resolver = territory_resolver()
    connection.close()
    started, cpu = time.perf_counter(), time.process_time()
    blobs = []
    with open_source(path) as (source, stream):
        layout = Layout.from_header(*read_header(stream))
        cleaner, hashes = Cleaner(layout, resolver), source_hash_expr(layout)
        for frame in read_frames(stream, layout, []):
            staged, _errors = cleaner.clean(frame.with_columns(hashes), check_nul=source.nul)
            buffer = io.BytesIO()
            staged.select(pl.lit(0).alias("file_no"), *STAGE_COLUMNS).write_csv(
                buffer, include_header=False, quote_style="necessary", null_value=""
            )
            blobs.append(buffer.getvalue())
    print(
        f"{'reader: Arrow parse + Polars clean + CSV for COPY (Python)':<58} "
        f"{(time.process_time() - cpu) / args.rows * 1e5:6.2f} CPU s per 100k rows "
        f"(wall {time.perf_counter() - started:.1f}s)"
    )
    columns = ", ".join(["file_no", *STAGE_COLUMNS])
    definitions = ", ".join(stage_columns(TYPES))
    vector = f"search_vector tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    with open(path, encoding="utf-8-sig") as fh:
        width = len(fh.readline().split(";"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET max_parallel_workers_per_gather = 0")
        conn.execute("CREATE TABLE bare ({})".format(", ".join(f"c{i} text" for i in range(width))))

        def bare_copy() -> None:
            with conn.cursor().copy("COPY bare FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)") as copy:
                with open(path, "rb") as fh:
                    while block := fh.read(1 << 20):
                        copy.write(block)

        def staging_copy(table: str) -> None:
            with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                for blob in blobs:
                    copy.write(blob)

        conn.execute(f"CREATE UNLOGGED TABLE staged_with_vector ({definitions}, {vector})")
        conn.execute(f"CREATE UNLOGGED TABLE staged_plain ({definitions})")
        measured(conn, "bare COPY of the raw file (199 text columns)", args.rows, bare_copy)
        measured(
            conn,
            "staging COPY with the generated search vector",
            args.rows,
            lambda: staging_copy("staged_with_vector"),
        )
        measured(conn, "staging COPY without it", args.rows, lambda: staging_copy("staged_plain"))
        measured(
            conn,
            "to_tsvector alone (SELECT monitora_project_document)",
            args.rows,
            lambda: conn.execute(
                "SELECT sum(length(monitora_project_document(title, summary, procedure))) FROM staged_plain"
            ).fetchone(),
        )
        fields = ", ".join(DATA_FIELDS)
        for drop, _create, _last in conn.execute(BULK_DDL).fetchall():  # as a first load does
            conn.execute(drop)
        measured(
            conn,
            "INSERT ... SELECT of the staged projects into the catalogue",
            args.rows,
            lambda: conn.execute(
                f"INSERT INTO catalogue_project ({fields}, search_vector, row_hash, created_at, "
                f"updated_at) SELECT {fields}, search_vector, row_hash, now(), now() "
                "FROM staged_with_vector"
            ),
        )
        measured(
            conn,
            "INSERT ... SELECT of their place links",
            args.rows,
            lambda: conn.execute(
                "INSERT INTO catalogue_project_territories (project_id, territory_id) "
                "SELECT p.id, unnest(string_to_array(s.territory_ids, ',')::bigint[]) "
                "FROM staged_with_vector s JOIN catalogue_project p ON p.code = s.code"
            ),
        )
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{database}"')


if __name__ == "__main__":
    main()
