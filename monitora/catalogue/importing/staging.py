"""The staging table of one import and the set-based merge into the catalogue, the same SQL for both
databases: duplicate codes settled (the first in file order stays), a diff by code and row hash, one
`INSERT … SELECT`, one `UPDATE … FROM`, place links rebuilt, `removed_at` for a full release."""

import polars as pl
from django.utils import timezone

from .cleaning import STAGE_COLUMNS
from .columns import DATA_FIELDS

PROJECT = "catalogue_project"
LINKS = "catalogue_project_territories"
# Every staged record of the codes staged more than once, numbered in file order per code.
REPEATS = (
    "SELECT code, file_no, record_no, first_value(file_no) OVER w AS first_file, "
    "first_value(record_no) OVER w AS first_record, row_number() OVER w AS n FROM {table} "
    "WHERE code IN (SELECT code FROM {table} GROUP BY code HAVING count(*) > 1) "
    "WINDOW w AS (PARTITION BY code ORDER BY file_no, record_no)"
)


INTEGERS = {"record_no": "integer", "source_hash": "integer", "row_hash": "integer"}


def stage_columns(types: dict[str, str]) -> list[str]:
    """Column definitions of a staging table: `file_no`, then STAGE_COLUMNS (`types` by name)."""
    return ["file_no integer", *(f"{name} {types.get(name, 'text')}" for name in STAGE_COLUMNS)]


class Staging:
    """SQLite's staging (a TEMP table in the import's transaction; the FTS5 index follows the
    catalogue through migration 0003's triggers) and the merge both databases share."""

    table = "catalogue_staging"
    copied: tuple[str, ...] = ()  # staged columns copied into the catalogue as they are
    territory_rows = "json_each('[' || c.territory_ids || ']') AS t"  # `c.territory_ids` as rows `t.value`

    def __init__(self, connection):
        self.connection, self.cursor, self.now = connection, connection.cursor(), timezone.now()
        self.rows = 0  # staged so far

    def fill(self, table: str, columns: tuple[str, ...], rows) -> None:
        """Create the TEMP table `table` ("name type" columns) and fill it with `rows`."""
        self.cursor.execute(f"DROP TABLE IF EXISTS temp.{table}")
        self.cursor.execute(f"CREATE TEMP TABLE {table} ({', '.join(columns)})")
        self._insert(table, len(columns), rows)

    def _insert(self, table: str, width: int, rows) -> None:
        self.cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * width)})", rows)

    def _ids(self, sql: str, params=()) -> list:
        self.cursor.execute(sql, params)
        return [row[0] for row in self.cursor.fetchall()]

    def __enter__(self):
        self.fill(self.table, tuple(stage_columns(INTEGERS)), ())
        return self

    def write(self, frame: pl.DataFrame, file_no: int) -> None:
        self.rows += frame.height
        rows = frame.select(pl.lit(file_no).alias("file_no"), *STAGE_COLUMNS).iter_rows()
        self._insert(self.table, len(STAGE_COLUMNS) + 1, rows)

    def staged(self) -> None:
        """Every row is in."""

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.cursor.execute(f"DROP TABLE temp.{self.table}")
        return False

    def cleanup(self, rolled_back: bool) -> None:
        """After the import's transaction, whatever its outcome."""

    def committed(self) -> None:
        """After a commit that changed the catalogue."""

    def known_hashes(self) -> pl.Series | None:
        """Sorted source hashes of the catalogue's projects; None when it is empty (a first load).
        Read in batches (server-side on PostgreSQL): they never all sit in memory as Python ints."""
        if not self._ids(f"SELECT EXISTS (SELECT 1 FROM {PROJECT})")[0]:
            return None
        batches = [pl.Series([], dtype=pl.Int64)]
        with self.connection.chunked_cursor() as cursor:
            cursor.execute(
                f"SELECT source_hash FROM {PROJECT} WHERE removed_at IS NULL AND source_hash IS NOT NULL"
            )
            while batch := cursor.fetchmany(100_000):
                batches.append(pl.Series([row[0] for row in batch], dtype=pl.Int64))
        return pl.concat(batches).sort()

    def _duplicates(self) -> list[dict]:
        """Codes staged twice: the first record in file order stays, the others are reported."""
        cur, repeats = self.cursor, REPEATS.format(table=self.table)
        cur.execute(
            f"SELECT code, file_no, record_no, first_file, first_record FROM ({repeats}) d WHERE n > 1"
        )
        found = [{"code": row[0], "at": row[1:3], "first": row[3:5]} for row in cur.fetchall()]
        if found:
            cur.execute(
                f"DELETE FROM {self.table} WHERE (file_no, record_no) IN "
                f"(SELECT file_no, record_no FROM ({repeats}) d WHERE n > 1)"
            )
        return found

    def merge(self, *, full_release: bool, unseen: list[int], first_load: bool) -> dict:
        """Apply the staged rows. `unseen`: source hashes of catalogue projects the files did not
        have unchanged (with `full_release`, those not staged either are marked removed).
        `first_load`: the catalogue was empty, so nothing to update and nobody to tell."""
        cur, table, now = self.cursor, self.table, self.now
        duplicates = self._duplicates()
        changes = table if first_load else "catalogue_changes"  # the staged rows that change the catalogue
        if not first_load:
            cur.execute(
                f"CREATE TEMP TABLE catalogue_changes AS SELECT s.code, s.territory_ids, p.id AS project_id "
                f"FROM {table} s LEFT JOIN {PROJECT} p ON p.code = s.code WHERE p.id IS NULL "
                f"OR p.row_hash IS NULL OR p.row_hash <> s.row_hash OR p.removed_at IS NOT NULL"
            )
        fields = [*DATA_FIELDS, *self.copied, "row_hash"]
        cur.execute(
            f"INSERT INTO {PROJECT} ({', '.join(fields)}, created_at, updated_at) "
            f"SELECT {', '.join(f's.{f}' for f in fields)}, %s, %s FROM {table} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {PROJECT} p WHERE p.code = s.code)",
            [now, now],
        )
        counts = dict(inserted=cur.rowcount, updated=0, removed=0, duplicates=duplicates, changed_ids=[])
        if not first_load:
            cur.execute(
                f"UPDATE {PROJECT} SET {', '.join(f'{f} = s.{f}' for f in fields)}, updated_at = %s, "
                f"removed_at = NULL FROM catalogue_changes c JOIN {table} s ON s.code = c.code "
                f"WHERE c.project_id = {PROJECT}.id",
                [now],
            )
            counts["updated"] = cur.rowcount
            changed = f"SELECT p.id FROM catalogue_changes c JOIN {PROJECT} p ON p.code = c.code"
            counts["changed_ids"] = self._ids(changed)
            cur.execute(f"DELETE FROM {LINKS} WHERE project_id IN (SELECT project_id FROM catalogue_changes)")
            # Same content, new source hash (a new header, a new importer version): remember the
            # new hash so that the next import skips the record without cleaning it.
            cur.execute(
                f"UPDATE {PROJECT} SET source_hash = s.source_hash FROM {table} s "
                f"WHERE s.code = {PROJECT}.code AND {PROJECT}.row_hash = s.row_hash "
                f"AND ({PROJECT}.source_hash IS NULL OR {PROJECT}.source_hash <> s.source_hash)"
            )
        cur.execute(
            f"INSERT INTO {LINKS} (project_id, territory_id) SELECT p.id, t.value "
            f"FROM {changes} c JOIN {PROJECT} p ON p.code = c.code CROSS JOIN {self.territory_rows}"
        )
        if not first_load:
            cur.execute("DROP TABLE catalogue_changes")
        if full_release and not first_load:  # an empty catalogue had nothing to remove
            self.fill("catalogue_unseen", ("hash bigint",), ((h,) for h in unseen))
            removed = self._ids(
                f"UPDATE {PROJECT} SET removed_at = %s WHERE removed_at IS NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {table} s WHERE s.code = {PROJECT}.code) AND (source_hash IS NULL "
                f"OR source_hash IN (SELECT hash FROM catalogue_unseen)) RETURNING id",
                [now],
            )
            counts["removed"], counts["changed_ids"] = len(removed), counts["changed_ids"] + removed
            cur.execute("DROP TABLE catalogue_unseen")
        counts["unchanged"] = self.rows - len(duplicates) - counts["inserted"] - counts["updated"]
        return counts

    def link_places(self, pairs, *, first_load: bool) -> tuple[int, int, list[int]]:
        """localizzazioni: add (project code, territory id) links -> (linked, unknown codes, ids of
        the projects that gained a link, unless `first_load`)."""
        cur = self.cursor
        self.fill("catalogue_places", ("code text", "territory_id bigint"), pairs)
        ids = []
        if not first_load:
            ids = self._ids(
                f"SELECT DISTINCT p.id FROM catalogue_places s JOIN {PROJECT} p ON p.code = s.code "
                f"WHERE NOT EXISTS (SELECT 1 FROM {LINKS} l WHERE l.project_id = p.id "
                f"AND l.territory_id = s.territory_id)"
            )
        # `WHERE true`: SQLite's parser needs it between a join and ON CONFLICT.
        cur.execute(
            f"INSERT INTO {LINKS} (project_id, territory_id) SELECT DISTINCT p.id, s.territory_id "
            f"FROM catalogue_places s JOIN {PROJECT} p ON p.code = s.code WHERE true ON CONFLICT DO NOTHING"
        )
        linked = cur.rowcount
        [unknown] = self._ids(
            f"SELECT count(DISTINCT code) FROM catalogue_places s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {PROJECT} p WHERE p.code = s.code)"
        )
        cur.execute("DROP TABLE catalogue_places")
        return linked, unknown, ids
