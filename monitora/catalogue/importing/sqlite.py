"""SQLite staging: a TEMP table filled in the import's own transaction (`make run`, extracts).

The merge is `staging.py`'s; the FTS5 index follows the catalogue through the triggers of
migration 0003.
"""

import polars as pl

from .cleaning import STAGE_COLUMNS
from .staging import Staging, stage_columns

INTEGERS = {"record_no": "integer", "source_hash": "integer", "row_hash": "integer"}


class SqliteStaging(Staging):
    territory_rows = "json_each('[' || c.territory_ids || ']') AS t"

    def __enter__(self):
        self.fill(self.table, tuple(stage_columns(INTEGERS)), ())
        return self

    def fill(self, table: str, columns: tuple[str, ...], rows) -> None:
        self.cursor.execute(f"DROP TABLE IF EXISTS temp.{table}")
        self.cursor.execute(f"CREATE TEMP TABLE {table} ({', '.join(columns)})")
        marks = ", ".join(["%s"] * len(columns))
        self.cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    def write(self, frame: pl.DataFrame, file_no: int) -> None:
        self.rows += frame.height
        rows = frame.select(pl.lit(file_no).alias("file_no"), *STAGE_COLUMNS).iter_rows()
        marks = ", ".join(["%s"] * (len(STAGE_COLUMNS) + 1))
        self.cursor.executemany(f"INSERT INTO {self.table} VALUES ({marks})", rows)

    def staged(self) -> None:
        pass

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.cursor.execute(f"DROP TABLE temp.{self.table}")
        return False
