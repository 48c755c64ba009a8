"""Reading (Arrow's C++ CSV reader) and cleaning (Polars expressions over whole frames): the one
implementation of the cleaning rules. A frame of raw values (`c<position>`) becomes a staging frame
(`STAGE_COLUMNS`) plus row errors (record number from 0 in file order, column, value, reason)."""

import json
from collections.abc import Iterator
from hashlib import blake2b

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from .columns import COLUMNS, ImportFileError, Layout

# Bump when the cleaning rules change: every record is then re-processed on the next import.
IMPORTER_VERSION = b"monitora-catalogue-2"
BLOCK_BYTES = 1 << 20  # Arrow read block: larger blocks cost far more memory than they save time
FRAME_ROWS = 3000  # blocks are grouped into frames of about this many rows
MULTI = ":::"
MAX_AMOUNT = 9999999999999999.99
TEXT_FIELDS = [c.field for c in COLUMNS]
# Staging columns, in COPY order (PostgreSQL's staging table computes the search vector itself).
STAGE_COLUMNS = ["record_no", *TEXT_FIELDS, "subjects", "raw", "source_hash", "territory_ids", "row_hash"]
HASHED_COLUMNS = [*TEXT_FIELDS, "subjects", "raw", "territory_ids"]


def read_frames(stream, layout: Layout, malformed: list[str]) -> Iterator[pl.DataFrame]:
    """Frames of the used columns (`c<position>`, untrimmed text) plus `record_no`. Records with the
    wrong number of columns are skipped, their text added to `malformed`."""
    names = [f"c{i}" for i in range(len(layout.header))]
    used = [f"c{p}" for p in layout.read]
    read = pacsv.ReadOptions(column_names=names, block_size=BLOCK_BYTES, use_threads=True)
    parse = pacsv.ParseOptions(delimiter=layout.delimiter, newlines_in_values=True)
    parse.invalid_row_handler = lambda row: malformed.append(row.text) or "skip"
    # Every value is a string, never null: empty fields are "".
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(used, pa.string()), include_columns=used)
    convert.strings_can_be_null = convert.quoted_strings_can_be_null = False
    try:
        reader = pacsv.open_csv(stream, read_options=read, parse_options=parse, convert_options=convert)
        offset, pending, rows = 0, [], 0
        for batch in reader:
            pending.append(batch)
            rows += batch.num_rows
            if rows >= FRAME_ROWS:
                yield _frame(pending, offset)
                offset, pending, rows = offset + rows, [], 0
        if pending:
            yield _frame(pending, offset)
    except pa.ArrowInvalid as exc:  # invalid UTF-8, unterminated quote...
        raise ImportFileError(f"file non leggibile: {exc}") from None


def _frame(batches: list, offset: int) -> pl.DataFrame:
    frame = pl.from_arrow(pa.Table.from_batches(batches), rechunk=False)
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.int_range(offset, offset + frame.height, dtype=pl.Int64).alias("record_no"))


def _json_string(expr: pl.Expr) -> pl.Expr:
    """A string or list expression as JSON text (escaping done by Polars' JSON encoder)."""
    return pl.struct(expr.alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _joined(pieces: list[pl.Expr], opening: str, closing: str) -> pl.Expr:
    """The non-null pieces, comma-separated, between `opening` and `closing`."""
    joined = pl.concat_str(pieces, separator=",", ignore_nulls=True) if pieces else pl.lit("")
    return pl.lit(opening) + pl.coalesce(joined, pl.lit("")) + pl.lit(closing)


def _hash(parts: list[pl.Expr], seed: int) -> pl.Expr:
    return pl.concat_str(parts, separator="\x1f").hash(seed).reinterpret(signed=True)


def source_hash_expr(layout: Layout) -> pl.Expr:
    """64-bit hash of a record's used values: a re-import skips records where it is unchanged. Salted
    with the importer version, the header and the Polars version (stable hashes only within one)."""
    salt = IMPORTER_VERSION + pl.__version__.encode() + "\x1f".join(layout.header).encode()
    seed = int.from_bytes(blake2b(salt, digest_size=8).digest(), "big")
    return _hash([pl.col(f"c{p}") for p in layout.read], seed).alias("source_hash")


def _row_hash() -> pl.Expr:
    """64-bit hash of everything stored from the record (the change detector)."""
    return _hash([pl.col(c).cast(pl.String).fill_null("\x00") for c in HASHED_COLUMNS], 0).alias("row_hash")


def _error(column: str, value: pl.Expr, reason: str) -> pl.Expr:
    """`column \\x1f value \\x1f reason` (split again for the few rows that have one)."""
    return pl.concat_str([pl.lit(column), value.str.slice(0, 80), pl.lit(reason)], separator="\x1f")


class Cleaner:
    """Turns frames of raw used columns into staging frames; holds the per-file caches."""

    def __init__(self, layout: Layout, resolver):
        self.layout, self.resolver, self.places_cache = layout, resolver, {}
        self.fields, self.checks = self._fields()
        self.nul_checks = [
            pl.when((c := pl.col(f"c{p}")).str.contains("\x00", literal=True)).then(
                _error(layout.header[p], c.str.replace_all("\x00", "␀", literal=True), "carattere NUL")
            )
            for p in layout.read
        ]

    def _fields(self) -> tuple[list[pl.Expr], list[pl.Expr]]:
        """Cleaned value of every field, and the check that rejects a row for it (first wins)."""
        exprs, checks = [], []
        for position, column in self.layout.fields:
            value = pl.col(f"c{position}").str.strip_chars() if position is not None else pl.lit("")
            name = self.layout.header[position] if position is not None else column.sources[0]
            rules: list[tuple[pl.Expr, str | None]] = [(value == "", None)]  # (condition, reason)
            if column.kind == "text":
                expr, limit = value, column.max_length
                rules = [(value.str.len_chars() > limit, f"più lungo di {limit} caratteri")] if limit else []
            elif column.kind == "list":
                parts = value.str.split(MULTI).list.eval(pl.element().str.strip_chars())
                expr, rules = pl.when(value == "").then(pl.lit("[]")).otherwise(_json_string(parts)), []
            elif column.kind == "decimal":  # decimal comma or point; the database rounds to cents
                amount = value.str.replace_all(",", ".", literal=True)
                number = amount.cast(pl.Float64, strict=False)
                expr = pl.when(value == "").then(None).otherwise(amount)
                rules += [(number.is_null(), "importo non numerico")]
                rules += [(~number.is_finite() | (number.abs() > MAX_AMOUNT), "importo fuori scala")]
            else:  # date: YYYYMMDD (OpenCoesione) or YYYY-MM-DD (some extracts)
                dashed = value.str.len_chars() == 10
                compact = pl.when(dashed).then(value.str.replace_all("-", "")).otherwise(value)
                well_formed = compact.str.contains("^[0-9]{8}$")
                day = pl.when(well_formed & (compact.str.slice(0, 4) != "0000"))
                day = day.then(compact.str.strptime(pl.Date, "%Y%m%d", strict=False)).otherwise(None)
                expr = day.dt.to_string("%Y-%m-%d")
                rules += [(~well_formed, "data non nel formato AAAAMMGG")]
                rules += [(day.is_null(), "data inesistente")]
            exprs.append(expr.alias(column.field))
            if rules:
                check = pl
                for condition, reason in rules:
                    check = check.when(condition).then(_error(name, value, reason) if reason else None)
                checks.append(check)
        position = self.layout.fields[0][0]
        missing = _error(self.layout.header[position], pl.lit(""), "valore obbligatorio mancante")
        checks.append(pl.when(pl.col(f"c{position}").str.strip_chars() == "").then(missing))
        return exprs, checks

    def _raw(self) -> pl.Expr:
        """JSON object of the unknown columns' non-empty values."""
        pieces = [
            pl.when(pl.col(f"c{p}").str.strip_chars() != "").then(
                pl.lit(_json(name) + ":") + _json_string(pl.col(f"c{p}").str.strip_chars())
            )
            for p, name in self.layout.raw
        ]
        return _joined(pieces, "{", "}").alias("raw")

    def _subjects(self, frame: pl.DataFrame) -> pl.Expr:
        """JSON list of subjects by role: the `:::` lists of a role's columns are zipped (shorter
        lists padded with empty values); entries with neither name nor tax code are dropped."""
        objects = []
        for label, parts in self.layout.subjects:
            columns = {part: pl.col(f"c{p}") for part, p in parts.items()}
            lists = pl.max_horizontal(*(c.str.count_matches(MULTI, literal=True) for c in columns.values()))
            width = frame.select(lists.max()).item() or 0  # most frames have one entry per role
            for i in range(width + 1):
                values = {
                    part: (c.str.split(MULTI).list.get(i, null_on_oob=True).fill_null("") if width else c)
                    for part, c in columns.items()
                }
                values = {part: value.str.strip_chars() for part, value in values.items()}
                members = [
                    pl.when(value != "")
                    .then(pl.lit(f',"{part}":') + _json_string(value))
                    .otherwise(pl.lit(""))
                    for part, value in values.items()
                ]
                entry = pl.concat_str([pl.lit('{"role":' + _json(label)), *members, pl.lit("}")])
                named = [values[p] != "" for p in ("name", "tax_code") if p in values]
                objects.append(pl.when(pl.any_horizontal(pl.lit(False), *named)).then(entry))
        return _joined(objects, "[", "]").alias("subjects")

    def _places(self, frame: pl.DataFrame) -> pl.Series:
        """Territory ids ("1,2,3"), resolved once per distinct combination of place values."""
        keys = list(self.layout.places)
        if not keys or self.resolver is None:
            return pl.Series("territory_ids", [""] * frame.height, dtype=pl.String)
        columns = [pl.col(f"c{self.layout.places[k]}") for k in keys]
        combined = frame.select(pl.concat_str(columns, separator="\x1f")).to_series()
        mapping = {}
        for combination in combined.unique().to_list():
            if combination not in self.places_cache:
                if len(self.places_cache) > 50_000:
                    self.places_cache.clear()
                ids = self.resolver.resolve(**dict(zip(keys, combination.split("\x1f"), strict=True)))
                self.places_cache[combination] = ",".join(map(str, ids))
            mapping[combination] = self.places_cache[combination]
        return combined.replace_strict(mapping, return_dtype=pl.String).alias("territory_ids")

    def clean(self, frame: pl.DataFrame, check_nul: bool) -> tuple[pl.DataFrame, list[tuple[int, dict]]]:
        """Raw frame (with `source_hash`) -> (staging frame, [(record number, error)]).
        `check_nul=False` while the file has had no NUL byte (`Source.nul`)."""
        checks = [*self.nul_checks, *self.checks] if check_nul else self.checks
        frame = frame.with_columns(
            *self.fields, self._raw(), self._subjects(frame), pl.coalesce(checks).alias("error")
        )
        errors = []
        for record_no, error in (
            frame.filter(pl.col("error").is_not_null()).select("record_no", "error").rows()
        ):
            column, *value, reason = error.split("\x1f")
            errors.append((record_no, dict(column=column, value="\x1f".join(value), reason=reason)))
        good = frame.filter(pl.col("error").is_null())
        staged = good.with_columns(self._places(good)).with_columns(_row_hash())
        return staged.select(STAGE_COLUMNS), errors


def unchanged(hashes: pl.Series, known: pl.Series) -> pl.Series:
    """Which hashes are in `known` (sorted): a binary search per hash, no hash table to build."""
    if known.is_empty():
        return pl.Series([False] * len(hashes))
    at = known.search_sorted(hashes, side="left").clip(0, len(known) - 1)
    return known.gather(at) == hashes
