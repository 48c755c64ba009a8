"""Catalogue benchmark: import, bare COPY reference, re-import, peak memory, search latency.

    python bench/catalogue.py --rows 100000 --db postgres
    python bench/catalogue.py --rows 100000 --db sqlite

Writes a synthetic progetti_esteso file (real 199-column header, values drawn from the real
samples: see bench/synth.py) to bench/out/, imports it into a fresh database with
`manage.py import_catalogue --full-release`, imports it again unchanged, and times a fixed mix of
`project_search()` queries. The last line is machine-readable:
`import_vs_copy=R reimport_speedup=S peak_rss_mb=M search_p95_ms=P`.
PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432), database BENCH_PG_DB (default
monitora_catalogue_bench). `--search-only` re-times the searches on the database of a previous run.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import write_file  # noqa: E402

QUERIES = [
    {"q": "immobile confiscato"},
    {"q": "bonifica dissesto idrogeologico"},
    {"q": "scuola"},
    {"q": "ristrutturazione caserma carabinieri"},
    {"q": "lavori", "sort": "-funding"},
    {"q": "centro polifunzionale", "region": "15"},
    {"q": "riqualificazione", "theme": "09"},
    {"region": "19", "sort": "-funding"},
    {"theme": "05", "cycle": "2"},
    {"funding_min": 1_000_000, "funding_max": 2_000_000, "sort": "-funding"},
    {"province": "063", "state": "In corso"},
    {"comune": "058091"},
    {"q": "beni confiscati", "region": "19"},
    {"q": "legalità sicurezza"},
    {"q": "parco urbano", "sort": "funding"},
]


CPU: dict[str, float] = {}  # CPU seconds of the last measured command: "client" and "server"


def _server_cpu(database: str, seen: dict[int, float]) -> None:
    """CPU seconds so far of every PostgreSQL backend connected to `database` (loaders included)."""
    for process in psutil.process_iter(["cmdline", "cpu_times"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if cmdline.startswith("postgres:") and f" {database} " in cmdline and process.info["cpu_times"]:
            times = process.info["cpu_times"]
            seen[process.pid] = times.user + times.system


def run_measured(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """Run a command; returns (seconds, peak RSS of its whole process tree in MB, output).

    Also records in CPU the CPU seconds of the command's processes and of the PostgreSQL backends
    serving it (sampled, so a backend's last 50 ms may be missed)."""
    database = (
        env.get("DATABASE_URL", "").rsplit("/", 1)[-1] if "postgres" in env.get("DATABASE_URL", "") else ""
    )
    started = time.perf_counter()
    proc = psutil.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak, client, server = 0, {}, {}
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            for p in tree:
                times = p.cpu_times()
                client[p.pid] = times.user + times.system
        except psutil.Error:
            pass
        if database:
            _server_cpu(database, server)
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    CPU.update(client=sum(client.values()), server=sum(server.values()))
    output = proc.stdout.read().decode()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output}")
    return elapsed, peak / 1024 / 1024, output


def bare_copy(url: str, path: Path) -> float:
    import psycopg

    with open(path, encoding="utf-8-sig") as fh:
        header = fh.readline().strip().split(";")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_bare_copy")
        conn.execute(
            "CREATE TABLE bench_bare_copy ({})".format(", ".join(f"c{i} text" for i in range(len(header))))
        )
        started = time.perf_counter()
        with conn.cursor().copy(
            "COPY bench_bare_copy FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
        ) as cp:
            with open(path, "rb") as fh:
                while block := fh.read(1 << 20):
                    cp.write(block)
        elapsed = time.perf_counter() - started
        times = psutil.Process(conn.info.backend_pid).cpu_times()  # the server side of the COPY
        CPU.update(server=times.user + times.system)
        conn.execute("DROP TABLE bench_bare_copy")
    return elapsed


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def search_latencies(repeats: int) -> tuple[list[float], float]:
    import django

    django.setup()
    from django.db import connection

    from monitora.catalogue.models import Project
    from monitora.catalogue.selectors import project_search

    ids = list(
        Project.objects.order_by("id").values_list("cup", "code")[:: max(1, Project.objects.count() // 5)]
    )
    queries = QUERIES + [{"q": cup} for cup, _code in ids[:3]] + [{"q": code} for _cup, code in ids[:3]]
    timings = []
    for query in queries:
        project_search(**query)  # warm-up
        for _ in range(repeats):
            started = time.perf_counter()
            project_search(**query)
            timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    project_search(q="immobile confiscato", facets=True)
    facets_ms = (time.perf_counter() - started) * 1000
    connection.close()
    return timings, facets_ms


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=None, help="import_catalogue --workers")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each search query")
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="re-measure search on the database left by a previous full run (no import)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    path = OUT / f"progetti_esteso_synth_{args.rows}.csv"
    started = time.perf_counter()
    write_file(path, args.rows)
    print(f"file: {path.name} {path.stat().st_size / 1e6:.0f} MB ({time.perf_counter() - started:.0f}s)")

    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    pg_db = os.environ.get("BENCH_PG_DB", "monitora_catalogue_bench")
    db_file = OUT / f"bench_{args.rows}.sqlite3"
    previous = OUT / f"catalogue_{args.db}_{args.rows}.json"
    if args.search_only:
        url = f"{base}/{pg_db}" if args.db == "postgres" else f"sqlite:///{db_file}"
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            ALLOWED_HOSTS="localhost",
            SECRET_KEY="bench",  # noqa: S106 - throwaway benchmark settings
            SINGLE_PROCESS_CACHE_OK="1",
            DATABASE_URL=url,
        )
        timings, facets_ms = search_latencies(args.repeats)
        report(json.loads(previous.read_text()), timings, facets_ms, previous)
        return

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench",  # noqa: S106 - throwaway benchmark settings
        SINGLE_PROCESS_CACHE_OK="1",
        ALLOWED_HOSTS="localhost",
        LOG_LEVEL="WARNING",
    )
    if args.db == "postgres":
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{pg_db}"')
            conn.execute(f'CREATE DATABASE "{pg_db}"')
        env["DATABASE_URL"] = f"{base}/{pg_db}"
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db_file}"
    manage = [sys.executable, "manage.py"]
    run_measured([*manage, "migrate", "--noinput", "-v0"], env)
    run_measured([*manage, "load_territories"], env)

    copy_rate = copy_cpu = None
    if args.db == "postgres":
        copy_s = bare_copy(env["DATABASE_URL"], path)
        copy_rate = args.rows / copy_s
        copy_cpu = CPU["server"]
        print(
            f"bare COPY (199 text columns, no index): {copy_s:.1f}s = {copy_rate:,.0f} rows/s, "
            f"{copy_cpu:.1f} CPU s in its backend"
        )

    command = [*manage, "import_catalogue", str(path), "--full-release"]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    import_s, import_rss, output = run_measured(command, env)
    print(output.strip().splitlines()[-1])
    import_rate = args.rows / import_s
    print(f"import: {import_s:.1f}s = {import_rate:,.0f} rows/s, peak RSS {import_rss:.0f} MB")
    import_cpu = dict(CPU)
    print(
        f"import CPU: {import_cpu['client']:.1f}s Python, {import_cpu['server']:.1f}s PostgreSQL backends "
        f"({(import_cpu['client'] + import_cpu['server']) / args.rows * 1e5:.1f} CPU s per 100k rows)"
    )
    reimport_s, reimport_rss, output = run_measured(command, env)
    print(output.strip().splitlines()[-1])
    print(
        f"re-import (unchanged): {reimport_s:.1f}s = {args.rows / reimport_s:,.0f} rows/s, "
        f"peak RSS {reimport_rss:.0f} MB"
    )

    settings = (
        "DJANGO_SETTINGS_MODULE",
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "SINGLE_PROCESS_CACHE_OK",
    )
    os.environ.update({k: env[k] for k in settings})
    timings, facets_ms = search_latencies(args.repeats)
    results = {
        "rows": args.rows,
        "db": args.db,
        "copy_rows_per_s": copy_rate,
        "import_s": import_s,
        "import_rows_per_s": import_rate,
        "reimport_s": reimport_s,
        "peak_rss_mb": max(import_rss, reimport_rss),
        "copy_cpu_s": copy_cpu,
        "import_cpu_client_s": import_cpu["client"],
        "import_cpu_server_s": import_cpu["server"],
    }
    report(results, timings, facets_ms, previous)


def report(results: dict, timings: list[float], facets_ms: float, path: Path) -> None:
    """Print the search figures and the machine-readable last line; save everything as JSON."""
    p50, p95 = percentile(timings, 50), percentile(timings, 95)
    print(
        f"search: {len(timings)} timed queries, p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
        f"search with facets {facets_ms:.0f} ms"
    )
    results.update(search_p50_ms=p50, search_p95_ms=p95, facets_ms=facets_ms)
    path.write_text(json.dumps(results, indent=2))
    copy_rate = results["copy_rows_per_s"]
    ratio = f"{results['import_rows_per_s'] / copy_rate:.2f}" if copy_rate else "n/a"
    print(
        f"import_vs_copy={ratio} reimport_speedup={results['import_s'] / results['reimport_s']:.2f} "
        f"peak_rss_mb={results['peak_rss_mb']:.0f} search_p95_ms={p95:.1f}"
    )


if __name__ == "__main__":
    main()
