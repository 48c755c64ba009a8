"""PostgreSQL staging: loader connections `COPY` cleaned frames into an UNLOGGED staging table whose
generated column computes the search vector (the costliest step) in the loaders' server processes.
Loaders commit on their own connections; only the merge runs in the import's transaction, so a
failure or `kill -9` leaves the catalogue as it was (the next run drops a staging table left behind).
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
KINDS = {"decimal": "numeric(18,2)", "date": "date", "list": "jsonb"}
TYPES = {c.field: KINDS.get(c.kind, "text") for c in COLUMNS} | {"subjects": "jsonb", "raw": "jsonb"}
TYPES |= dict.fromkeys(("record_no", "source_hash", "row_hash"), "bigint")
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
# The columns searches filter and sort by: `ANALYZE` of the wide text columns would cost most, serve no plan.
ANALYZED = "id, code, cup, theme_code, theme, cycle_code, cycle, programme_codes, state, public_funding, "
ANALYZED += "removed_at, search_vector"


class PostgresStaging(Staging):
    """The importer's only concurrency: `loaders` threads, each `COPY`ing CSV blocks on its own
    connection; at most twice as many blocks are held, so memory stays bounded."""

    copied = ("search_vector",)
    territory_rows = "unnest(string_to_array(c.territory_ids, ',')::bigint[]) AS t(value)"

    def __init__(self, connection, run_id: int, loaders: int):
        super().__init__(connection)
        self.table, self.loaders, self.dropped = f"{STAGING_PREFIX}{run_id}", max(1, loaders), False
        omit = ("cursor_factory", "context", "server_side_binding")
        self.params = {k: v for k, v in connection.get_connection_params().items() if k not in omit}
        self.pool: ThreadPoolExecutor | None = None
        self.pending: deque[Future] = deque()
        self.local, self.connections = threading.local(), []

    def _copy(self, data: bytes) -> None:
        if (conn := getattr(self.local, "conn", None)) is None:
            conn = self.local.conn = psycopg.connect(**self.params, autocommit=True)
            self.connections.append(conn)
            conn.execute("SET synchronous_commit = off")
        with conn.cursor().copy(self.statement) as copy:
            copy.write(data)

    def _close_loaders(self, *, abort: bool = False) -> None:
        """Wait until every block is committed (or, with `abort`, drop the blocks not yet taken);
        raise the first loader failure."""
        if self.pool is None:
            return
        self.pool.shutdown(cancel_futures=abort)
        self.pool = None
        for conn in self.connections:
            conn.close()
        while self.pending and not abort:
            self.pending.popleft().result()

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
        tables = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE %s"
        stale = [f"DROP TABLE IF EXISTS {name}" for name in self._ids(tables, [STAGING_PREFIX + "%"])]
        columns = ", ".join(stage_columns(TYPES))
        vector = f"search_vector tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
        self._admin(*stale, f"CREATE UNLOGGED TABLE {self.table} ({columns}, {vector})")
        self.statement = f"COPY {self.table} (file_no, {', '.join(STAGE_COLUMNS)}) FROM STDIN (FORMAT csv)"
        self.pool = ThreadPoolExecutor(self.loaders)
        return self

    def write(self, frame: pl.DataFrame, file_no: int) -> None:
        self.rows += frame.height
        if frame.height:
            data = frame.select(pl.lit(file_no, dtype=pl.Int32).alias("file_no"), *STAGE_COLUMNS)
            buffer = io.BytesIO()  # COPY csv: empty unquoted is NULL, "" the empty string
            data.write_csv(buffer, include_header=False, quote_style="necessary", null_value="")
            self.pending.append(self.pool.submit(self._copy, buffer.getvalue()))
            while self.pending and (len(self.pending) > 2 * self.loaders or self.pending[0].done()):
                self.pending.popleft().result()  # raises a loader's failure

    def staged(self) -> None:
        """Every row is in: wait for the loaders, give the planner the staging table's statistics."""
        self._close_loaders()
        self.cursor.execute(f"ANALYZE {self.table} (code, row_hash)")

    def merge(self, *, first_load: bool, **options) -> dict:
        """A first load drops every index and constraint but the projects' primary key (reports point
        at it) and makes them again after the insert: building an index once costs far less."""
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
            # Without fresh statistics the planner chooses sequential scans.
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
        self._close_loaders(abort=True)
        if exc_type is None:
            # In this transaction: it holds locks that another connection's DROP would wait for.
            self.cursor.execute(f"DROP TABLE {self.table}")
            self.dropped = True
        return False

    def committed(self) -> None:
        """Set the new rows' hint bits now, not in the first searches (autovacuum may be off or late)."""
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
