"""PostgreSQL bulk path: parallel COPY into an UNLOGGED staging table, then one set-based merge.

Loader threads, each with its own connection, `COPY` cleaned batches into a staging table made for
this run; the table computes the search vector itself (a generated column), so that the costly
full-text parsing runs in several server processes at once. Only the merge runs in the caller's
transaction: a failure, Ctrl-C or a killed process leaves the catalogue exactly as it was (the
staging table is dropped at the end, or by the next run if the process died).

Into an empty catalogue the loaders skip the staging table and the merge: they `COPY` straight
into shadow copies of the catalogue tables, which the caller's transaction swaps in at the end
(`shadow.py`).
"""

import logging
import queue
import threading
import time

import polars as pl
import psycopg
from django.db import IntegrityError, transaction

from .columns import COLUMNS, DATA_FIELDS
from .frames import STAGE_COLUMNS, TEXT_FIELDS, to_copy_csv
from .shadow import DOCUMENT, ShadowCatalogue

logger = logging.getLogger(__name__)
PROJECT = "catalogue_project"
LINKS = "catalogue_project_territories"
STAGING_PREFIX = "catalogue_staging_"
TYPES = {"decimal": "numeric(18,2)", "date": "date", "list": "jsonb"}
STAGE_TYPES = {c.field: TYPES.get(c.kind, "text") for c in COLUMNS} | {
    "record_no": "bigint",
    "subjects": "jsonb",
    "raw": "jsonb",
    "source_hash": "bigint",
    "territory_ids": "text",  # '{1,2}', cast when links are inserted
    "row_hash": "bigint",
}
STAGING_DDL = (
    "CREATE UNLOGGED TABLE {table} (file_no integer, line integer, "
    "id bigint DEFAULT nextval(pg_get_serial_sequence('catalogue_project', 'id')), "
    + ", ".join(f"{c} {STAGE_TYPES[c]}" for c in STAGE_COLUMNS)
    + ", search_vector tsvector GENERATED ALWAYS AS "
    + f"({DOCUMENT}) STORED)"
)


def loader_params(connection) -> dict:
    """Connection parameters of the Django connection, for plain psycopg loader connections."""
    params = connection.get_connection_params()
    return {k: v for k, v in params.items() if k not in ("cursor_factory", "context", "server_side_binding")}


class _Abort(Exception):
    pass


class Loaders:
    """N threads `COPY`ing the batches they take from one bounded queue, each on its own connection.

    A batch is one or more (COPY statement, CSV data) pairs, written and committed together (the
    rows of a frame and their place links land in the same transaction)."""

    def __init__(self, params: dict, count: int):
        self.queue: queue.Queue = queue.Queue(maxsize=count)
        self.failures: list[BaseException] = []
        self.stopped = False
        self.connections = [psycopg.connect(**params, autocommit=True) for _ in range(count)]
        self.threads = [threading.Thread(target=self._run, args=(c,), daemon=True) for c in self.connections]
        for thread in self.threads:
            thread.start()

    def _run(self, conn) -> None:
        item = None
        try:
            conn.execute("SET synchronous_commit = off")
            item = self.queue.get()
            while item is not None:
                if item is _Abort:
                    raise _Abort
                with conn.transaction():
                    for statement, data in item:
                        with conn.cursor().copy(statement) as copy:
                            copy.write(data)
                item = self.queue.get()
        except _Abort:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported to the producer and the merge
            self.failures.append(exc)
            while item not in (None, _Abort):  # keep draining: the producer must never block
                item = self.queue.get()

    def put(self, pieces: list[tuple[str, bytes]]) -> None:
        while True:
            if self.failures:
                raise self.failures[0]
            if self.stopped:
                raise _Abort
            try:
                self.queue.put(pieces, timeout=0.5)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        """Wait for every COPY to commit; raise the first loader failure."""
        for _ in self.threads:
            self.queue.put(None)
        self._join()
        if self.failures:
            raise self.failures[0]

    def abort(self) -> None:
        self.stopped = True
        while True:  # make room for the abort markers
            try:
                self.queue.get_nowait()
            except queue.Empty:
                break
        for _ in self.threads:
            self.queue.put(_Abort)
        self._join()

    def _join(self) -> None:
        for thread in self.threads:
            thread.join()
        for conn in self.connections:
            conn.close()


def run_side_by_side(params: dict, statements: list[str], workers: int) -> list[str]:
    """Run independent statements (index builds) on `workers` autocommit connections, in the
    given order; return those that failed on a duplicate key (the caller settles and re-runs
    them), raise any other failure."""
    pending: queue.Queue = queue.Queue()
    for statement in statements:
        pending.put(statement)
    violations: list[str] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            with psycopg.connect(**params, autocommit=True) as conn:
                conn.execute("SET maintenance_work_mem = '256MB'")
                while not failures:
                    try:
                        statement = pending.get_nowait()
                    except queue.Empty:
                        return
                    started = time.monotonic()
                    try:
                        conn.execute(statement)
                    except psycopg.errors.UniqueViolation:
                        violations.append(statement)
                    logger.info("%.1fs %s", time.monotonic() - started, " ".join(statement.split())[:90])
        except BaseException as exc:  # noqa: BLE001 - re-raised by the caller's thread
            failures.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return violations


class _TimedCursor:
    """Logs how long each merge statement takes (operators see where a long import spends time)."""

    def __init__(self, cursor):
        self.cursor = cursor

    def execute(self, sql: str, params=None):
        started = time.monotonic()
        result = self.cursor.execute(sql, params)
        logger.info("%.1fs %s", time.monotonic() - started, " ".join(sql.split())[:90])
        return result

    def __getattr__(self, name):
        return getattr(self.cursor, name)


class PostgresSink:
    def __init__(self, connection, run_id: int, loaders: int = 2):
        self.connection = connection
        self.cursor = connection.cursor()
        self.table = f"{STAGING_PREFIX}{run_id}"
        self.params = loader_params(connection)
        self.loader_count = max(1, loaders)
        self.loaders: Loaders | None = None
        self.shadow: ShadowCatalogue | None = None  # bulk load into an empty catalogue
        self.next_id = 0  # bulk load: ids are given in file order, from the catalogue's sequence
        self.stamp = ""
        self.dropped = False
        self.rolled_back = False

    def _admin(self, *statements: str) -> None:
        """DDL on staging tables from an autocommit connection (other connections must see them)."""
        with psycopg.connect(**self.params, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def __enter__(self):
        self.cursor.execute("SELECT pg_advisory_xact_lock(hashtext('monitora.catalogue_import'))")
        self.cursor.execute("SET LOCAL work_mem = '64MB'")
        self.cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        # Holding the import lock: any other staging table is a leftover of a killed run.
        self.cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE %s",
            [STAGING_PREFIX + "%"],
        )
        stale = [f"DROP TABLE IF EXISTS {name}" for (name,) in self.cursor.fetchall()]
        self._admin(*stale, STAGING_DDL.format(table=self.table))
        self.cursor.execute(
            "CREATE TEMP TABLE catalogue_hashes (file_no int, record_no bigint, hash bigint) ON COMMIT DROP"
        )
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.loaders is not None:
            self.loaders.abort()
            self.loaders = None
        if exc_type is None:  # ON COMMIT DROP is not enough when the caller's transaction goes on
            self.cursor.execute("DROP TABLE catalogue_hashes")
            # In this transaction: it holds locks on the staging table that another connection's
            # DROP would wait for.
            self.cursor.execute(f"DROP TABLE {self.table}")
            self.dropped = True
        return False

    def cleanup(self) -> None:
        """After the transaction: drop the staging (and shadow) tables if a failure or rollback left them."""
        if self.dropped and not self.rolled_back:
            return
        shadows = self.shadow.drop_statements() if self.shadow else []
        try:
            self._admin("SET lock_timeout = '2s'", *shadows, f"DROP TABLE IF EXISTS {self.table}")
        except psycopg.Error:
            pass  # still locked by an enclosing transaction: the next run drops it

    def has_projects(self) -> bool:
        self.cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {PROJECT})")
        return self.cursor.fetchone()[0]

    def hash_scan(self, file_no: int, pairs) -> tuple[list[int], int]:
        """Store (record, source hash) of every record; return the records that are new or changed."""
        total = 0
        with self.cursor.cursor.copy("COPY catalogue_hashes (file_no, record_no, hash) FROM STDIN") as copy:
            for record_no, digest in pairs:
                copy.write_row((file_no, record_no, digest))
                total += 1
        self.cursor.execute("ANALYZE catalogue_hashes")
        self.cursor.execute(
            f"SELECT h.record_no FROM catalogue_hashes h WHERE h.file_no = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {PROJECT} p WHERE p.source_hash = h.hash AND p.removed_at IS NULL)",
            [file_no],
        )
        return [row[0] for row in self.cursor.fetchall()], total

    def hash_scan_frames(self, file_no: int, frames) -> tuple[list[int], int]:
        """`hash_scan` fed with Polars frames of (record_no, hash): one COPY block per frame."""
        total = 0
        # A savepoint: if the reader gives up (malformed record), the aborted COPY must not take
        # the import's transaction with it.
        with transaction.atomic():
            with self.cursor.cursor.copy(
                "COPY catalogue_hashes (file_no, record_no, hash) FROM STDIN (FORMAT csv)"
            ) as copy:
                for frame in frames:
                    total += frame.height
                    copy.write(
                        to_copy_csv(frame.select(pl.lit(file_no).alias("file_no"), "record_no", "hash"))
                    )
        return self.hash_scan(file_no, [])[0], total

    def begin_bulk(self) -> bool:
        """Empty catalogue: load into shadow tables and swap them in at the end. False when the
        catalogue tables cannot be swapped (see `shadow.py`): the staging path is used instead."""
        # Other writers wait until this import commits: the tables are about to be replaced.
        self.cursor.execute(f"LOCK TABLE {PROJECT}, {LINKS} IN SHARE ROW EXCLUSIVE MODE")
        if self.has_projects():  # a project written since the caller looked: the tables stay
            return False
        shadow = ShadowCatalogue(PROJECT, LINKS, self.table)
        reason = shadow.inspect(self.cursor)
        if reason:
            logger.warning("Catalogo vuoto, ma caricamento tramite tabella di appoggio: %s", reason)
            return False
        self.cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{PROJECT}', 'id')), now()")
        self.next_id, now = self.cursor.fetchone()
        self.stamp = now.isoformat()
        self._admin(*shadow.create_statements())
        self.shadow = shadow
        return True

    def start_file(self, file_no: int) -> None:
        self.file_no = file_no
        self.loaders = Loaders(self.params, self.loader_count)

    def write_frame(self, frame: pl.DataFrame, lines: pl.Series | None = None) -> None:
        """Queue a staging frame (STAGE_COLUMNS) for COPY; `lines` when physical lines are known."""
        if not frame.height:
            return
        file_no = pl.lit(self.file_no, dtype=pl.Int32).alias("file_no")
        line = lines.alias("line") if lines is not None else pl.lit(None, dtype=pl.Int32).alias("line")
        if self.shadow is None:
            columns = ", ".join(["file_no", "line", *STAGE_COLUMNS])
            pieces = [
                (
                    f"COPY {self.table} ({columns}) FROM STDIN (FORMAT csv)",
                    to_copy_csv(frame.select(file_no, line, *STAGE_COLUMNS)),
                )
            ]
        else:
            pieces = self._shadow_pieces(frame, file_no, line)
        self.loaders.put(pieces)

    def _shadow_pieces(self, frame: pl.DataFrame, file_no: pl.Expr, line: pl.Expr) -> list[tuple[str, bytes]]:
        """A frame as rows of the shadow catalogue, its place links and its source positions."""
        shadow, height = self.shadow, frame.height
        frame = frame.with_columns(
            pl.int_range(self.next_id, self.next_id + height, dtype=pl.Int64).alias("id")
        )
        self.next_id += height
        stamp = pl.lit(self.stamp)
        fields = ["id", *TEXT_FIELDS, "subjects", "raw", "source_hash", "row_hash"]
        projects = frame.select(*fields, stamp.alias("created_at"), stamp.alias("updated_at"))
        links = (
            frame.select(
                pl.col("id").alias("project_id"),
                pl.col("territory_ids").str.strip_chars("{}").str.split(",").alias("territory_id"),
            )
            .explode("territory_id")
            .filter(pl.col("territory_id") != "")
            .unique(maintain_order=True)
        )
        rows = frame.select("id", file_no, line, "record_no")
        return [
            (
                f"COPY {shadow.project.shadow} ({', '.join([*fields, 'created_at', 'updated_at'])}) "
                "FROM STDIN (FORMAT csv)",
                to_copy_csv(projects),
            ),
            (
                f"COPY {shadow.links.shadow} (project_id, territory_id) FROM STDIN (FORMAT csv)",
                to_copy_csv(links),
            ),
            (f"COPY {shadow.rows} (id, file_no, line, record_no) FROM STDIN (FORMAT csv)", to_copy_csv(rows)),
        ]

    def stop(self) -> None:
        """The producer must give up (the merge failed): loaders stop taking batches."""
        if self.loaders is not None:
            self.loaders.stopped = True

    def raise_failures(self) -> None:
        """While loading: a loader's failure stops the import at once."""
        if self.loaders is not None and self.loaders.failures:
            raise self.loaders.failures[0]

    def end_file(self) -> None:
        loaders, self.loaders = self.loaders, None
        loaders.close()

    def discard_file(self, file_no: int) -> None:
        """Forget what a file staged so far: it is about to be re-read."""
        if self.loaders is not None:
            self.loaders.abort()
            self.loaders = None
        if self.shadow is None:
            self.cursor.execute(f"DELETE FROM {self.table} WHERE file_no = {int(file_no)}")
        else:
            # Not in the import's transaction: its locks would stop the index builds of the end
            # (other connections); the shadows are dropped anyway if the import fails.
            shadow, staged = self.shadow, f"SELECT id FROM {self.shadow.rows} WHERE file_no = {int(file_no)}"
            with psycopg.connect(**self.params, autocommit=True) as conn:
                conn.execute(f"DELETE FROM {shadow.links.shadow} WHERE project_id IN ({staged})")
                conn.execute(f"DELETE FROM {shadow.project.shadow} WHERE id IN ({staged})")
                conn.execute(f"DELETE FROM {shadow.rows} WHERE file_no = {int(file_no)}")

    def finish_copy(self) -> None:
        if self.shadow is None:
            self.cursor.execute(f"ANALYZE {self.table}")

    def _duplicates(self) -> list[dict]:
        """Same code twice: the first record stays; the others are rejected (file, record/line)."""
        self.cursor.execute(
            f"SELECT code, array_agg(ARRAY[file_no, coalesce(line, -1), coalesce(record_no, -1)] "
            f"ORDER BY file_no, line, record_no) FROM {self.table} GROUP BY code HAVING count(*) > 1"
        )
        found = []
        for code, places in self.cursor.fetchall():
            first = places[0]
            found += [{"code": code, "first": first, "at": place} for place in places[1:]]
        self.cursor.execute(
            f"DELETE FROM {self.table} s USING (SELECT code, min(ARRAY[file_no, coalesce(line, -1), "
            f"coalesce(record_no, -1)]) AS first FROM {self.table} GROUP BY code HAVING count(*) > 1) d "
            f"WHERE s.code = d.code "
            f"AND ARRAY[s.file_no, coalesce(s.line, -1), coalesce(s.record_no, -1)] > d.first"
        )
        return found

    def merge(self, *, full_release: bool) -> dict:
        """Apply the staged rows: insert new projects, update changed ones, skip unchanged ones."""
        if self.shadow is not None:
            return self._swap_in()
        try:
            with transaction.atomic():
                counts = self._merge(full_release)
            counts["duplicates"] = []
        except IntegrityError:
            # The same code twice in the input: report the repeats, keep the first, merge again.
            duplicates = self._duplicates()
            counts = self._merge(full_release)
            counts["duplicates"] = duplicates
        return counts

    def _swap_in(self) -> dict:
        """End of a bulk load: indexes built side by side on other connections, duplicate codes
        settled, keys and constraints attached, then the swap (all but the builds in this
        transaction)."""
        cur, shadow = _TimedCursor(self.cursor), self.shadow
        violations = run_side_by_side(self.params, shadow.index_builds(), self.loader_count)
        duplicates: list[dict] = []
        if violations:  # a code loaded twice: the first in file order stays, the others go
            duplicates = self._shadow_duplicates()
            for statement in violations:
                cur.execute(statement)
        shadow.attach(cur)
        # Rows the loaders committed (batches still queued when a file was discarded never landed).
        cur.execute(f"SELECT count(*) FROM {shadow.rows}")
        inserted = cur.fetchone()[0] - len(duplicates)  # one record dropped per duplicate reported
        shadow.swap(cur)
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{PROJECT}', 'id'), %s, false)", [self.next_id])
        return {"inserted": inserted, "updated": 0, "unchanged": 0, "removed": 0, "duplicates": duplicates}

    def _shadow_duplicates(self) -> list[dict]:
        """Codes loaded twice: keep the first record in file order, report the others."""
        cur, shadow = self.cursor, self.shadow
        order = "ORDER BY m.file_no, m.line, m.record_no"
        cur.execute(
            f"CREATE TEMP TABLE catalogue_dups ON COMMIT DROP AS SELECT p.code, "
            f"array_agg(ARRAY[m.file_no, coalesce(m.line, -1), coalesce(m.record_no, -1)] {order}) "
            f"AS places, "
            f"(array_agg(p.id {order}))[1] AS first_id "
            f"FROM {shadow.project.shadow} p JOIN {shadow.rows} m ON m.id = p.id "
            f"GROUP BY p.code HAVING count(*) > 1"
        )
        cur.execute(
            f"DELETE FROM {shadow.links.shadow} l USING catalogue_dups d, {shadow.project.shadow} p "
            f"WHERE p.code = d.code AND p.id <> d.first_id AND l.project_id = p.id"
        )
        cur.execute(
            f"DELETE FROM {shadow.project.shadow} p USING catalogue_dups d "
            f"WHERE p.code = d.code AND p.id <> d.first_id"
        )
        cur.execute("SELECT code, places FROM catalogue_dups")
        found = []
        for code, places in cur.fetchall():
            found += [{"code": code, "first": places[0], "at": place} for place in places[1:]]
        cur.execute("DROP TABLE catalogue_dups")
        return found

    def _merge(self, full_release: bool) -> dict:
        cur = _TimedCursor(self.cursor)
        table = self.table
        fields = ", ".join(DATA_FIELDS)
        cur.execute(
            f"CREATE TEMP TABLE catalogue_changes ON COMMIT DROP AS SELECT s.*, p.id AS project_id "
            f"FROM {table} s LEFT JOIN {PROJECT} p ON p.code = s.code "
            f"WHERE p.id IS NULL OR p.row_hash IS DISTINCT FROM s.row_hash OR p.removed_at IS NOT NULL"
        )
        cur.execute(
            f"INSERT INTO {PROJECT} (id, {fields}, search_vector, row_hash, created_at, updated_at) "
            f"SELECT c.id, {', '.join(f'c.{f}' for f in DATA_FIELDS)}, c.search_vector, c.row_hash, "
            f"now(), now() "
            f"FROM catalogue_changes c WHERE c.project_id IS NULL"
        )
        inserted = cur.rowcount
        assignments = ", ".join(f"{f} = c.{f}" for f in DATA_FIELDS)
        cur.execute(
            f"UPDATE {PROJECT} p SET {assignments}, search_vector = c.search_vector, "
            f"row_hash = c.row_hash, "
            f"updated_at = now(), removed_at = NULL FROM catalogue_changes c WHERE c.project_id = p.id"
        )
        updated = cur.rowcount
        cur.execute(f"DELETE FROM {LINKS} l USING catalogue_changes c WHERE c.project_id = l.project_id")
        cur.execute(
            f"INSERT INTO {LINKS} (project_id, territory_id) "
            f"SELECT p.id, unnest(c.territory_ids::bigint[]) "
            f"FROM catalogue_changes c JOIN {PROJECT} p ON p.code = c.code"
        )
        cur.execute("DROP TABLE catalogue_changes")
        # Same content, new source hash (e.g. a column Monitora does not read changed): remember
        # the new hash so that the next import skips the record without parsing it.
        cur.execute(
            f"UPDATE {PROJECT} p SET source_hash = s.source_hash FROM {table} s WHERE s.code = p.code "
            f"AND p.row_hash = s.row_hash AND p.source_hash IS DISTINCT FROM s.source_hash"
        )
        refreshed = cur.rowcount
        removed = 0
        if full_release:
            cur.execute(
                f"UPDATE {PROJECT} p SET removed_at = now() WHERE p.removed_at IS NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {table} s WHERE s.code = p.code) AND NOT EXISTS "
                f"(SELECT 1 FROM catalogue_hashes h WHERE h.hash = p.source_hash)"
            )
            removed = cur.rowcount
        if inserted or updated or removed or refreshed:
            # Fresh statistics: without them the planner picks sequential scans for searches.
            cur.execute(f"ANALYZE {PROJECT}")
            cur.execute(f"ANALYZE {LINKS}")
        cur.execute(f"SELECT count(*) FROM {table}")
        staged = cur.fetchone()[0]
        return {
            "inserted": inserted,
            "updated": updated,
            "unchanged": staged - inserted - updated,
            "removed": removed,
        }

    def link_places(self, pairs) -> tuple[int, int]:
        """localizzazioni: add (project code, territory id) links; returns (linked, unknown codes)."""
        cur = self.cursor
        cur.execute("CREATE TEMP TABLE catalogue_places (code text, territory_id bigint) ON COMMIT DROP")
        with cur.cursor.copy("COPY catalogue_places (code, territory_id) FROM STDIN") as copy:
            for code, territory_id in pairs:
                copy.write_row((code, territory_id))
        cur.execute(
            f"INSERT INTO {LINKS} (project_id, territory_id) SELECT DISTINCT p.id, s.territory_id "
            f"FROM catalogue_places s JOIN {PROJECT} p ON p.code = s.code ON CONFLICT DO NOTHING"
        )
        linked = cur.rowcount
        cur.execute(
            f"SELECT count(DISTINCT code) FROM catalogue_places s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {PROJECT} p WHERE p.code = s.code)"
        )
        unknown = cur.fetchone()[0]
        cur.execute("DROP TABLE catalogue_places")
        return linked, unknown
