"""PostgreSQL staging: loader connections `COPY` cleaned frames into an UNLOGGED staging table.

The table computes the search vector itself (a generated column), so that the costliest step,
Italian full-text parsing, runs in the loaders' server processes side by side while the import
reads on. Loaders commit on their own connections; only the merge (`staging.py`) runs in the
import's transaction, so a failure, Ctrl-C or `kill -9` leaves the catalogue exactly as it was:
the staging table is dropped at the end, or by the next run when a killed run left it behind.
"""

import io
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

import polars as pl
import psycopg

from .cleaning import STAGE_COLUMNS
from .columns import COLUMNS
from .staging import LINKS, PROJECT, Staging, stage_columns

STAGING_PREFIX = "catalogue_staging_"
# The search vector's expression (migration 0004), computed by the staging table's generated column.
DOCUMENT = "monitora_project_document(title, summary, procedure)"
TYPES = {
    c.field: {"decimal": "numeric(18,2)", "date": "date", "list": "jsonb"}.get(c.kind, "text")
    for c in COLUMNS
}
# A first load's (drop, create) statements: every index and constraint of the projects and their
# links but the projects' primary key, foreign keys made last.
BULK_DDL = f"""
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
    format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)),
    contype = 'f' AS last
FROM pg_constraint WHERE conrelid IN ('{PROJECT}'::regclass, '{LINKS}'::regclass)
    AND NOT (contype = 'p' AND conrelid = '{PROJECT}'::regclass)
UNION ALL
SELECT format('DROP INDEX %s', x.indexrelid::regclass), pg_get_indexdef(x.indexrelid), false
FROM pg_index x WHERE x.indrelid IN ('{PROJECT}'::regclass, '{LINKS}'::regclass) AND NOT EXISTS
    (SELECT 1 FROM pg_constraint k WHERE k.conrelid = x.indrelid AND k.conindid = x.indexrelid)
ORDER BY last
"""
ANALYZED = "id, code, cup, theme_code, theme, cycle_code, cycle, programme_codes, state, public_funding, "
ANALYZED += "removed_at, search_vector"
TYPES |= {
    "record_no": "bigint",
    "subjects": "jsonb",
    "raw": "jsonb",
    "source_hash": "bigint",
    "row_hash": "bigint",
}


class Loaders:
    """`count` threads, each `COPY`ing CSV blocks on its own connection (the importer's only
    concurrency); at most twice as many blocks are held, so memory stays bounded."""

    def __init__(self, params: dict, count: int, statement: str):
        self.params, self.count, self.statement = params, count, statement
        self.pool = ThreadPoolExecutor(count)
        self.pending: deque[Future] = deque()
        self.local = threading.local()
        self.connections: list[psycopg.Connection] = []

    def _copy(self, data: bytes) -> None:
        if (conn := getattr(self.local, "conn", None)) is None:
            conn = self.local.conn = psycopg.connect(**self.params, autocommit=True)
            self.connections.append(conn)
            conn.execute("SET synchronous_commit = off")
        with conn.cursor().copy(self.statement) as copy:
            copy.write(data)

    def put(self, data: bytes) -> None:
        self.pending.append(self.pool.submit(self._copy, data))
        while self.pending and (len(self.pending) > 2 * self.count or self.pending[0].done()):
            self.pending.popleft().result()  # raises a loader's failure

    def close(self, *, abort: bool = False) -> None:
        """Wait until every block is committed (or, with `abort`, drop the blocks not yet taken);
        raise the first loader failure."""
        self.pool.shutdown(cancel_futures=abort)
        for conn in self.connections:
            conn.close()
        while self.pending and not abort:
            self.pending.popleft().result()


class PostgresStaging(Staging):
    copied = ("search_vector",)
    territory_rows = "unnest(string_to_array(c.territory_ids, ',')::bigint[]) AS t(value)"

    def __init__(self, connection, run_id: int, loaders: int):
        super().__init__(connection)
        self.table = f"{STAGING_PREFIX}{run_id}"
        params = connection.get_connection_params()
        self.params = {
            k: v for k, v in params.items() if k not in ("cursor_factory", "context", "server_side_binding")
        }
        self.loader_count = max(1, loaders)
        self.loaders: Loaders | None = None
        self.dropped = False

    def _admin(self, *statements: str) -> None:
        """DDL on staging tables from an autocommit connection (the loaders must see them)."""
        with psycopg.connect(**self.params, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def __enter__(self):
        cur = self.cursor
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('monitora.catalogue_import'))")
        cur.execute("SET LOCAL work_mem = '64MB'")
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        # Holding the import lock: any other staging table is a leftover of a killed run.
        cur.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE %s",
            [STAGING_PREFIX + "%"],
        )
        stale = [f"DROP TABLE IF EXISTS {name}" for (name,) in cur.fetchall()]
        columns = ", ".join(stage_columns(TYPES))
        vector = f"search_vector tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
        self._admin(*stale, f"CREATE UNLOGGED TABLE {self.table} ({columns}, {vector})")
        columns = ", ".join(["file_no", *STAGE_COLUMNS])
        statement = f"COPY {self.table} ({columns}) FROM STDIN (FORMAT csv)"
        self.loaders = Loaders(self.params, self.loader_count, statement)
        return self

    def write(self, frame: pl.DataFrame, file_no: int) -> None:
        self.rows += frame.height
        if frame.height:
            data = frame.select(pl.lit(file_no, dtype=pl.Int32).alias("file_no"), *STAGE_COLUMNS)
            buffer = io.BytesIO()  # COPY csv: empty unquoted is NULL, "" the empty string
            data.write_csv(buffer, include_header=False, quote_style="necessary", null_value="")
            self.loaders.put(buffer.getvalue())

    def staged(self) -> None:
        """Every row is in: wait for the loaders, give the planner the staging table's statistics."""
        loaders, self.loaders = self.loaders, None
        loaders.close()
        self.cursor.execute(f"ANALYZE {self.table} (code, row_hash)")

    def merge(self, *, first_load: bool, **options) -> dict:
        """Into an empty catalogue (`first_load`), every index and constraint of the two tables but
        the projects' primary key (other tables point at it) is dropped before the insert and made
        again after it, in this transaction: building an index once costs a fraction of maintaining
        it row by row."""
        cur, rebuild = self.cursor, []
        if first_load:
            # ALTER TABLE refuses a table with checks pending in this transaction: run them now.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(BULK_DDL)
            for drop, create, _last in cur.fetchall():
                cur.execute(drop)
                rebuild.append(create)
        counts = super().merge(first_load=first_load, **options)
        for statement in rebuild:
            cur.execute(statement)
        if first_load:
            cur.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are initially deferred
        if counts["inserted"] or counts["updated"] or counts["removed"]:
            # Fresh statistics of the columns searches filter and sort by (a sequential scan is
            # chosen without them); the wide text columns would cost most and serve no plan.
            cur.execute(f"ANALYZE {PROJECT} ({ANALYZED})")
            cur.execute(f"ANALYZE {LINKS}")
        return counts

    def fill(self, table: str, columns: tuple[str, ...], rows) -> None:
        self.cursor.execute(f"CREATE TEMP TABLE {table} ({', '.join(columns)}) ON COMMIT DROP")
        names = ", ".join(c.split()[0] for c in columns)
        with self.cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def __exit__(self, exc_type, exc, tb):
        if self.loaders is not None:
            self.loaders.close(abort=True)
            self.loaders = None
        if exc_type is None:
            # In this transaction: it holds locks on the staging table that another connection's
            # DROP would wait for.
            self.cursor.execute(f"DROP TABLE {self.table}")
            self.dropped = True
        return False

    def committed(self) -> None:
        """Mark the new rows all-visible with their hint bits set, so that the first searches after
        an import do not pay for it page by page (VACUUM cannot run in a transaction; autovacuum
        may be off or late)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"VACUUM {PROJECT}, {LINKS}")

    def cleanup(self, rolled_back: bool) -> None:
        """After the transaction: drop the staging table if a failure or a rollback left it."""
        if self.dropped and not rolled_back:
            return
        try:
            self._admin("SET lock_timeout = '2s'", f"DROP TABLE IF EXISTS {self.table}")
        except psycopg.Error:
            pass  # still locked by an enclosing transaction: the next run drops it
