"""Fast path: Arrow's C++ CSV reader and Polars expressions clean whole batches at native speed.

Used for PostgreSQL. The rules are those of `parsing.clean_row` (the record-by-record path that
SQLite uses); rows the vectorised checks flag are handed to `clean_row` itself, so error messages
and edge cases come from one place. A record with the wrong number of columns stops this path
(`StructuralError`): the caller then re-reads the file record by record to report exact lines.

Each batch becomes a Polars frame in staging order (`STAGE_COLUMNS`, all text but the numbers),
written as CSV for PostgreSQL's `COPY`. Records are numbered from 0 in file order (empty lines
skipped); physical line numbers are only computed, with one extra pass, when an error needs them.
"""

import io
import json
import os
from collections.abc import Iterator
from hashlib import blake2b

# Polars' allocator keeps freed pages for 10 s by default: give them back sooner (bounded memory).
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:1000,muzzy_decay_ms:0")

import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

from .columns import COLUMNS  # noqa: E402
from .parsing import IMPORTER_VERSION, MULTI, Layout, RowError, StructuralError, clean_row  # noqa: E402

BLOCK_BYTES = 1 << 20  # Arrow read block: larger blocks cost far more memory than they save time
FRAME_ROWS = 3000  # blocks are grouped into frames of about this many rows for Polars
MAX_AMOUNT = 9999999999999999.99
TEXT_FIELDS = [c.field for c in COLUMNS]
# Staging table columns, in COPY order (the table computes search_vector itself).
STAGE_COLUMNS = ["record_no", *TEXT_FIELDS, "subjects", "raw", "source_hash", "territory_ids", "row_hash"]
HASHED_COLUMNS = [*TEXT_FIELDS, "subjects", "raw", "territory_ids"]


def with_row_hash(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `row_hash`: 64-bit hash of everything stored from the record (the change detector)."""
    parts = [pl.col(c).cast(pl.String).fill_null("\x00") for c in HASHED_COLUMNS]
    return frame.with_columns(
        pl.concat_str(parts, separator="\x1f").hash(0).reinterpret(signed=True).alias("row_hash")
    )


class _CountingReader(io.RawIOBase):
    """File-like wrapper that counts the bytes Arrow has read (for the progress bar)."""

    def __init__(self, stream, flags: dict):
        self.stream, self.count, self.flags = stream, 0, flags

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        if b"\x00" in data:  # cheap on the raw block; the cleaner then looks for the row
            self.flags["nul"] = True
        return len(data)


def _json_string(expr: pl.Expr) -> pl.Expr:
    """A string or list expression as JSON text (escaping done by Polars' JSON encoder)."""
    return pl.struct(expr.alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")


def source_seed(layout: Layout) -> int:
    """Seed of the source-record hash: importer version, Polars version and header all count
    (Polars only promises stable hashes within one version: an upgrade re-parses once)."""
    salt = IMPORTER_VERSION + pl.__version__.encode() + "\x1f".join(layout.header).encode()
    return int.from_bytes(blake2b(salt, digest_size=8).digest(), "big")


def used_positions(layout: Layout) -> list[int]:
    """Header positions the importer reads (fields, subjects, places, kept unknown columns)."""
    return layout.read


def source_hash_expr(layout: Layout) -> pl.Expr:
    """64-bit hash of the record's used values: a re-import skips records where it is unchanged."""
    parts = [pl.col(f"c{p}") for p in used_positions(layout)]
    return pl.concat_str(parts, separator="\x1f").hash(source_seed(layout)).reinterpret(signed=True)


def read_frames(stream, layout: Layout, flags: dict | None = None) -> Iterator[tuple[pl.DataFrame, int]]:
    """(frame of the used columns as `c<position>` + record_no, bytes read so far) per block.

    `flags["nul"]` becomes True once a NUL byte has been read (before the frame that holds it)."""
    names = [f"c{i}" for i in range(len(layout.header))]
    used = [f"c{p}" for p in used_positions(layout)]
    structural: list[str] = []

    def invalid(row) -> str:
        structural.append(f"{row.actual_columns} colonne invece di {row.expected_columns}")
        return "skip"

    counter = _CountingReader(stream, flags if flags is not None else {})
    reader = pacsv.open_csv(
        counter,
        read_options=pacsv.ReadOptions(column_names=names, block_size=BLOCK_BYTES, use_threads=True),
        parse_options=pacsv.ParseOptions(
            delimiter=layout.delimiter, newlines_in_values=True, invalid_row_handler=invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in used},
            include_columns=used,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    offset = 0
    pending: list = []
    rows = 0

    def frame_of(batches) -> pl.DataFrame:
        frame = pl.from_arrow(pa.Table.from_batches(batches), rechunk=False)
        assert isinstance(frame, pl.DataFrame)
        return frame.with_columns(
            pl.int_range(offset, offset + frame.height, dtype=pl.Int64).alias("record_no")
        )

    for record_batch in reader:
        if structural:
            raise StructuralError(structural[0])
        pending.append(record_batch)
        rows += record_batch.num_rows
        if rows >= FRAME_ROWS:
            frame = frame_of(pending)
            offset += frame.height
            pending, rows = [], 0
            yield frame, counter.count
    if structural:
        raise StructuralError(structural[0])
    if pending:
        yield frame_of(pending), counter.count


class FrameCleaner:
    """Turns frames of raw used columns into staging frames; holds the per-file caches."""

    def __init__(self, layout: Layout, resolver):
        self.layout = layout
        self.resolver = resolver
        self.places_cache: dict[str, str] = {}
        self.source_hash = source_hash_expr(layout)

    def _suspect(self, check_nul: bool) -> pl.Expr:
        """Rows that `clean_row` must look at, judged on the cleaned values `_field_exprs` made:
        any value a vectorised check finds doubtful (Python then gives the exact verdict)."""
        checks = []
        for position, field, kind, max_length in self.layout.fields:
            if position is None:
                continue
            if kind == "text" and max_length:
                checks.append(pl.col(field).str.len_chars() > max_length)
            elif kind == "decimal":
                number = pl.col(field).cast(pl.Float64, strict=False)
                checks.append(
                    pl.col(field).is_not_null()
                    & (number.is_null() | number.is_nan() | (number.abs() > MAX_AMOUNT))
                )
            elif kind == "date":
                checks.append(pl.col(field).is_null() & (pl.col(f"c{position}").str.strip_chars() != ""))
        checks.append(pl.col(self.layout.fields[0][1]) == "")
        if check_nul:
            checks += [pl.col(f"c{p}").str.contains("\x00", literal=True) for p in self.layout.read]
        return pl.any_horizontal(checks)

    @staticmethod
    def _date(value: pl.Expr) -> pl.Expr:
        compact = pl.when(value.str.len_chars() == 10).then(value.str.replace_all("-", "")).otherwise(value)
        return (
            pl.when(compact.str.contains(r"^\d{8}$") & (compact.str.slice(0, 4) > "0000"))
            .then(compact.str.strptime(pl.Date, "%Y%m%d", strict=False))
            .otherwise(None)
        )

    def _field_exprs(self) -> list[pl.Expr]:
        exprs = []
        for position, field, kind, _max_length in self.layout.fields:
            value = pl.col(f"c{position}").str.strip_chars() if position is not None else pl.lit("")
            if kind == "text":
                exprs.append(value.alias(field))
            elif kind == "list":
                parts = value.str.split(MULTI).list.eval(pl.element().str.strip_chars())
                exprs.append(
                    pl.when(value == "").then(pl.lit("[]")).otherwise(_json_string(parts)).alias(field)
                )
            elif kind == "decimal":
                exprs.append(
                    pl.when(value == "")
                    .then(None)
                    .otherwise(value.str.replace_all(",", ".", literal=True))
                    .alias(field)
                )
            else:
                exprs.append(self._date(value).dt.to_string("%Y-%m-%d").alias(field))
        return exprs

    def _subjects_expr(self) -> tuple[pl.Expr, pl.Expr]:
        """(JSON list of subjects for single-valued rows, mask of rows with `:::` lists)."""
        objects, multi = [], []
        for label, parts in self.layout.subjects:
            members = [f'"role":{json.dumps(label, ensure_ascii=False)}']
            pieces: list[pl.Expr] = [pl.lit("{" + members[0])]
            present = []
            for part, position in parts.items():
                value = pl.col(f"c{position}").str.strip_chars()
                multi.append(pl.col(f"c{position}").str.contains(MULTI, literal=True))
                pieces.append(
                    pl.when(value != "")
                    .then(pl.lit(f',"{part}":') + _json_string(value))
                    .otherwise(pl.lit(""))
                )
                if part in ("name", "tax_code"):
                    present.append(value != "")
            pieces.append(pl.lit("}"))
            keep = pl.any_horizontal(present) if present else pl.lit(False)
            objects.append(pl.when(keep).then(pl.concat_str(pieces)).otherwise(None))
        if not objects:
            return pl.lit("[]"), pl.lit(False)
        joined = pl.concat_str(objects, separator=",", ignore_nulls=True)
        return (pl.lit("[") + pl.coalesce(joined, pl.lit("")) + pl.lit("]")), pl.any_horizontal(multi)

    def _raw_expr(self) -> pl.Expr:
        if not self.layout.raw:
            return pl.lit("{}")
        pieces = []
        for position, name in self.layout.raw:
            value = pl.col(f"c{position}").str.strip_chars()
            key = json.dumps(name, ensure_ascii=False)
            pieces.append(pl.when(value != "").then(pl.lit(f"{key}:") + _json_string(value)).otherwise(None))
        return (
            pl.lit("{")
            + pl.coalesce(pl.concat_str(pieces, separator=",", ignore_nulls=True), pl.lit(""))
            + pl.lit("}")
        )

    def _places(self, frame: pl.DataFrame) -> pl.Series:
        """territory_ids as a PostgreSQL array literal, resolved once per distinct place combination."""
        keys = list(self.layout.places)
        if not keys or self.resolver is None:
            return pl.Series("territory_ids", ["{}"] * frame.height)
        key = frame.select(
            pl.concat_str([pl.col(f"c{self.layout.places[k]}") for k in keys], separator="\x1f")
        ).to_series()
        mapping = {}
        for combination in key.unique().to_list():
            if combination not in self.places_cache:
                values = dict(zip(keys, combination.split("\x1f"), strict=True))
                ids = self.resolver.resolve(**values)
                if len(self.places_cache) > 50_000:
                    self.places_cache.clear()
                self.places_cache[combination] = "{" + ",".join(map(str, ids)) + "}"
            mapping[combination] = self.places_cache[combination]
        return key.replace_strict(mapping, return_dtype=pl.String).alias("territory_ids")

    def _python_rows(self, frame: pl.DataFrame) -> tuple[list[dict], list[dict]]:
        """Clean suspect or multi-valued rows with `clean_row`: (staging rows, errors)."""
        width = len(self.layout.header)
        positions = [int(c[1:]) for c in frame.columns if c[:1] == "c" and c[1:].isdigit()]
        rows, errors = [], []
        for record in frame.iter_rows(named=True):
            values = [""] * width
            for p in positions:
                values[p] = record[f"c{p}"]
            try:
                cleaned, places = clean_row(values, self.layout)
            except RowError as exc:
                errors.append(
                    {
                        "record_no": record["record_no"],
                        "column": exc.column,
                        "value": exc.value,
                        "reason": exc.reason,
                    }
                )
                continue
            row = {"record_no": record["record_no"]}
            for field, value in zip(TEXT_FIELDS, cleaned, strict=False):
                row[field] = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
            row["subjects"] = json.dumps(cleaned[len(TEXT_FIELDS)], ensure_ascii=False)
            row["raw"] = json.dumps(cleaned[len(TEXT_FIELDS) + 1], ensure_ascii=False)
            row["source_hash"] = record["source_hash"]
            ids = self.resolver.resolve(**places) if self.resolver else []
            row["territory_ids"] = "{" + ",".join(map(str, ids)) + "}"
            rows.append(row)
        return rows, errors

    def clean(self, frame: pl.DataFrame, check_nul: bool = True) -> tuple[pl.DataFrame, list[dict]]:
        """A frame of raw used columns -> (staging frame, row errors); `check_nul=False` when the
        file has no NUL byte so far (see `read_frames`)."""
        subjects, multi = self._subjects_expr()
        frame = frame.with_columns(
            *self._field_exprs(),
            subjects.alias("subjects"),
            self._raw_expr().alias("raw"),
            self.source_hash.alias("source_hash"),
            multi.alias("__multi"),
        )
        frame = frame.with_columns((self._suspect(check_nul) | pl.col("__multi")).alias("__special"))
        special = frame.filter(pl.col("__special"))
        regular = frame.filter(~pl.col("__special"))
        staged = regular.select(STAGE_COLUMNS[:-2]).with_columns(self._places(regular))
        errors: list[dict] = []
        if special.height:
            rows, errors = self._python_rows(special)
            if rows:
                extra = pl.DataFrame(rows, schema=staged.schema)
                staged = pl.concat([staged, extra]).sort("record_no")
        return with_row_hash(staged), errors


def to_copy_csv(frame: pl.DataFrame) -> bytes:
    """A staging frame as COPY ... (FORMAT csv) input: empty unquoted = NULL, "" = empty string."""
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, quote_style="necessary", null_value="")
    return buffer.getvalue()


def rows_frame(rows: list) -> tuple[pl.DataFrame, pl.Series]:
    """Rows of the record-by-record path (`parse_chunk`) as a staging frame and their lines."""
    columns: dict[str, list] = {name: [] for name in STAGE_COLUMNS[:-1]}
    lines = []
    width = len(TEXT_FIELDS)
    for line, values, territory_ids in rows:
        lines.append(line)
        columns["record_no"].append(None)
        for field, value in zip(TEXT_FIELDS, values, strict=False):
            columns[field].append(json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value)
        columns["subjects"].append(json.dumps(values[width], ensure_ascii=False))
        columns["raw"].append(json.dumps(values[width + 1], ensure_ascii=False))
        columns["source_hash"].append(int(values[width + 2]) if values[width + 2] is not None else None)
        columns["territory_ids"].append("{" + ",".join(map(str, territory_ids)) + "}")
    schema = {name: pl.String for name in STAGE_COLUMNS[:-1]} | {
        "record_no": pl.Int64,
        "source_hash": pl.Int64,
    }
    frame = pl.DataFrame({k: v for k, v in columns.items() if k != "row_hash"}, schema=schema)
    return with_row_hash(frame), pl.Series("line", lines, dtype=pl.Int32)
