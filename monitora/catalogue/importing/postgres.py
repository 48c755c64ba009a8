"""PostgreSQL bulk path: COPY clean rows into a temporary staging table, then set-based SQL.

Everything runs inside the caller's transaction: the staging table is `ON COMMIT DROP`, and a
failure, Ctrl-C or a killed process rolls the catalogue back to exactly what it was.
"""

from django.db import IntegrityError, transaction

from .columns import COLUMNS, ROW_FIELDS

PROJECT = "catalogue_project"
LINKS = "catalogue_project_territories"
TYPES = {"decimal": "numeric(18,2)", "date": "date", "list": "jsonb"}
CASTS = {c.field: TYPES.get(c.kind, "text") for c in COLUMNS} | {
    "subjects": "jsonb",
    "raw": "jsonb",
    "source_hash": "bigint",
}
DATA_FIELDS = [f for f in ROW_FIELDS if f != "row_hash"]
STAGING_COLUMNS = ["line", *DATA_FIELDS, "territory_ids", "row_hash"]


def _select_list(alias: str) -> str:
    return ", ".join(
        f"{alias}.{f}::{CASTS[f]}" if CASTS[f] != "text" else f"{alias}.{f}" for f in DATA_FIELDS
    )


class PostgresSink:
    def __init__(self, connection):
        self.connection = connection
        self.cursor = connection.cursor()
        self.bulk_load = False

    def __enter__(self):
        columns = ", ".join(
            f"{c} {'integer' if c == 'line' else 'bigint' if c == 'row_hash' else 'text'}"
            for c in STAGING_COLUMNS
        )
        self.cursor.execute("SELECT pg_advisory_xact_lock(hashtext('monitora.catalogue_import'))")
        self.cursor.execute("SET LOCAL work_mem = '64MB'")
        self.cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        self.cursor.execute(f"CREATE TEMP TABLE catalogue_staging ({columns}) ON COMMIT DROP")
        self.cursor.execute(
            "CREATE TEMP TABLE catalogue_hashes (file_no int, line int, hash bigint) ON COMMIT DROP"
        )
        self._copy_cm = None
        return self

    def has_projects(self) -> bool:
        self.cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {PROJECT})")
        return self.cursor.fetchone()[0]

    def hash_scan(self, file_no: int, pairs) -> tuple[list[int], int]:
        """Store (line, source hash) of every record; return the lines whose record is new or changed."""
        total = 0
        with self.cursor.cursor.copy("COPY catalogue_hashes (file_no, line, hash) FROM STDIN") as copy:
            for line, digest in pairs:
                copy.write_row((file_no, line, digest))
                total += 1
        self.cursor.execute("ANALYZE catalogue_hashes")
        self.cursor.execute(
            f"SELECT h.line FROM catalogue_hashes h WHERE h.file_no = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {PROJECT} p WHERE p.source_hash = h.hash AND p.removed_at IS NULL)",
            [file_no],
        )
        return [row[0] for row in self.cursor.fetchall()], total

    def start_file(self) -> None:
        self._copy_cm = self.cursor.cursor.copy(
            f"COPY catalogue_staging ({', '.join(STAGING_COLUMNS)}) FROM STDIN"
        )
        self.copy = self._copy_cm.__enter__()

    def write(self, result) -> None:
        if result.copy_text:
            self.copy.write(result.copy_text)

    def end_file(self) -> None:
        copy_cm, self._copy_cm = self._copy_cm, None
        copy_cm.__exit__(None, None, None)

    def finish_copy(self) -> None:
        self.cursor.execute("ANALYZE catalogue_staging")

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:  # ON COMMIT DROP is not enough when the caller's transaction goes on
            self.cursor.execute("DROP TABLE catalogue_staging, catalogue_hashes")
        elif self._copy_cm is not None:
            # Abort the COPY (CopyFail) so that the transaction can roll back.
            self._copy_cm.__exit__(exc_type or RuntimeError, exc or RuntimeError("import aborted"), tb)
        return False

    def _duplicates(self) -> list[dict]:
        self.cursor.execute(
            "SELECT code, array_agg(line ORDER BY line) FROM catalogue_staging "
            "GROUP BY code HAVING count(*) > 1"
        )
        errors = []
        for code, lines in self.cursor.fetchall():
            errors += [
                {
                    "line": line,
                    "column": "COD_LOCALE_PROGETTO",
                    "value": code,
                    "reason": f"codice già presente alla riga {lines[0]} dello stesso file",
                }
                for line in lines[1:]
            ]
        self.cursor.execute(
            "DELETE FROM catalogue_staging s USING (SELECT code, min(line) AS first FROM catalogue_staging "
            "GROUP BY code HAVING count(*) > 1) d WHERE s.code = d.code AND s.line > d.first"
        )
        return errors

    def merge(self, *, full_release: bool) -> dict:
        """Apply the staged rows: insert new projects, update changed ones, skip unchanged ones."""
        self.cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {PROJECT})")
        self.bulk_load = self.cursor.fetchone()[0]
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

    def _merge(self, full_release: bool) -> dict:
        cur = self.cursor
        fields = ", ".join(DATA_FIELDS)
        dropped = self._drop_secondary_indexes() if self.bulk_load else []
        if self.bulk_load:
            cur.execute(
                f"INSERT INTO {PROJECT} ({fields}, row_hash, created_at, updated_at) "
                f"SELECT {_select_list('s')}, s.row_hash, now(), now() FROM catalogue_staging s"
            )
            inserted, updated = cur.rowcount, 0
            cur.execute(
                f"INSERT INTO {LINKS} (project_id, territory_id) "
                f"SELECT p.id, unnest(s.territory_ids::bigint[]) "
                f"FROM catalogue_staging s JOIN {PROJECT} p ON p.code = s.code"
            )
        else:
            cur.execute(
                f"CREATE TEMP TABLE catalogue_changes ON COMMIT DROP AS SELECT s.*, p.id AS project_id "
                f"FROM catalogue_staging s LEFT JOIN {PROJECT} p ON p.code = s.code "
                f"WHERE p.id IS NULL OR p.row_hash IS DISTINCT FROM s.row_hash OR p.removed_at IS NOT NULL"
            )
            cur.execute(
                f"INSERT INTO {PROJECT} ({fields}, row_hash, created_at, updated_at) "
                f"SELECT {_select_list('c')}, c.row_hash, now(), now() FROM catalogue_changes c "
                f"WHERE c.project_id IS NULL"
            )
            inserted = cur.rowcount
            assignments = ", ".join(
                f"{f} = c.{f}::{CASTS[f]}" if CASTS[f] != "text" else f"{f} = c.{f}" for f in DATA_FIELDS
            )
            cur.execute(
                f"UPDATE {PROJECT} p SET {assignments}, row_hash = c.row_hash, updated_at = now(), "
                f"removed_at = NULL FROM catalogue_changes c WHERE c.project_id = p.id"
            )
            updated = cur.rowcount
            cur.execute(f"DELETE FROM {LINKS} l USING catalogue_changes c WHERE c.project_id = l.project_id")
            cur.execute(
                f"INSERT INTO {LINKS} (project_id, territory_id) "
                f"SELECT p.id, unnest(c.territory_ids::bigint[]) "
                f"FROM catalogue_changes c JOIN {PROJECT} p ON p.code = c.code"
            )
            cur.execute("DROP TABLE catalogue_changes")
        for statement in dropped:
            cur.execute(statement)
        removed = 0
        if full_release:
            cur.execute(
                f"UPDATE {PROJECT} p SET removed_at = now() WHERE p.removed_at IS NULL AND NOT EXISTS "
                f"(SELECT 1 FROM catalogue_staging s WHERE s.code = p.code) AND NOT EXISTS "
                f"(SELECT 1 FROM catalogue_hashes h WHERE h.hash = p.source_hash)"
            )
            removed = cur.rowcount
        if inserted or updated or removed:
            # Fresh statistics: without them the planner picks sequential scans for searches.
            cur.execute(f"ANALYZE {PROJECT}")
            cur.execute(f"ANALYZE {LINKS}")
        cur.execute("SELECT count(*) FROM catalogue_staging")
        staged = cur.fetchone()[0]
        return {
            "inserted": inserted,
            "updated": updated,
            "unchanged": staged - inserted - updated,
            "removed": removed,
        }

    def _drop_secondary_indexes(self) -> list[str]:
        """Empty catalogue: build the secondary indexes once at the end instead of row by row."""
        # Constraints are about to be altered: run the checks still deferred in this transaction now.
        self.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = ANY(%s) AND NOT x.indisunique "
            "AND NOT x.indisprimary",
            [[PROJECT, LINKS]],
        )
        rows = self.cursor.fetchall()
        for name, _definition in rows:
            self.cursor.execute(f'DROP INDEX "{name}"')
        restore = [definition for _name, definition in rows]
        # Deferred per-row FK checks on millions of links are slow: re-adding the constraint at the
        # end validates all rows in one set-based query instead.
        self.cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'f'",
            [LINKS],
        )
        for name, definition in self.cursor.fetchall():
            self.cursor.execute(f'ALTER TABLE {LINKS} DROP CONSTRAINT "{name}"')
            restore.append(f'ALTER TABLE {LINKS} ADD CONSTRAINT "{name}" {definition}')
        return restore

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
