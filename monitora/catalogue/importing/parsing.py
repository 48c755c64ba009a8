"""Turning CSV records into clean Project rows. Pure Python (no Django): runs in worker processes.

A `Layout` is built once from the header; `parse_chunk()` takes a block of complete CSV records
(bytes) and returns clean rows plus row errors with line number, column and reason.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from hashlib import blake2b
from itertools import zip_longest

from .columns import COLUMNS, PLACE_COLUMNS, ROLES, SKIPPED, SUBJECT_COLUMNS, SUBJECT_PARTS

MULTI = ":::"
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999999.99")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, required columns missing...)."""


class StructuralError(Exception):
    """A record does not have as many columns as the header (the fast path then gives way)."""


def normalise_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().strip('"').strip().upper()


@dataclass
class Layout:
    header: list[str]
    delimiter: str
    fields: list[tuple[int | None, str, str, int | None]] = field(default_factory=list)
    subjects: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    places: dict[str, int] = field(default_factory=dict)
    raw: list[tuple[int, str]] = field(default_factory=list)
    read: list[int] = field(default_factory=list)  # every position the importer reads

    @classmethod
    def from_header(cls, header: list[str], delimiter: str) -> "Layout":
        names = [normalise_header(h) for h in header]
        index = {name: i for i, name in reversed(list(enumerate(names)))}
        layout = cls(header=names, delimiter=delimiter)
        used: set[int] = set()
        missing = []
        for column in COLUMNS:
            position = next((index[s] for s in column.sources if s in index), None)
            if position is None and column.required:
                missing.append(column.sources[0])
            if position is not None:
                used.add(position)
            layout.fields.append((position, column.field, column.kind, column.max_length))
        if missing:
            raise ImportFileError(f"colonne obbligatorie mancanti: {', '.join(missing)}")
        for role, label in ROLES:
            parts = {
                part: index[tpl.format(role)] for part, tpl in SUBJECT_PARTS if tpl.format(role) in index
            }
            if parts:
                layout.subjects.append((label, parts))
        used |= {index[name] for name in SUBJECT_COLUMNS if name in index}
        for key, sources in PLACE_COLUMNS.items():
            position = next((index[s] for s in sources if s in index), None)
            if position is not None:
                layout.places[key] = position
        has_codes = any(k.endswith("_codes") for k in layout.places)
        for key, position in layout.places.items():
            # Names are kept (in raw) only when the file has no codes to resolve places with.
            if key.endswith("_codes") or has_codes:
                used.add(position)
        layout.raw = [(i, n) for i, n in enumerate(names) if i not in used and n not in SKIPPED and n]
        layout.read = sorted(
            {p for p, *_ in layout.fields if p is not None}
            | {p for _label, parts in layout.subjects for p in parts.values()}
            | set(layout.places.values())
            | {p for p, _n in layout.raw}
        )
        return layout


class RowError(Exception):
    def __init__(self, column: str, value: str, reason: str):
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


@lru_cache(maxsize=20000)
def clean_date(value: str) -> str:
    """YYYYMMDD (OpenCoesione) or YYYY-MM-DD (some extracts) -> ISO date string."""
    text = value.replace("-", "") if len(value) == 10 else value
    if len(text) != 8 or not text.isdigit():
        raise ValueError("data non nel formato AAAAMMGG")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        raise ValueError("data inesistente") from None


def clean_decimal(value: str) -> str:
    """Italian decimal comma or decimal point; at most 2 decimals kept (rounded half-even)."""
    text = value.replace(",", ".") if "," in value else value
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("importo non numerico") from None
    if not number.is_finite() or abs(number) > MAX_AMOUNT:
        raise ValueError("importo fuori scala")
    return str(number.quantize(CENT))


def clean_row(values: list[str], layout: Layout) -> tuple[list, dict[str, str]]:
    """Clean one record: returns (field values in ROW_FIELDS order without the hash, place values)."""
    if len(values) != len(layout.header):
        raise RowError("", "", f"{len(values)} colonne invece di {len(layout.header)}")
    for position in layout.read:
        if "\x00" in values[position]:  # PostgreSQL cannot store it; nobody means it
            raise RowError(
                layout.header[position], values[position][:80].replace("\x00", "␀"), "carattere NUL"
            )
    values.append("")  # missing optional columns read this empty value
    blank = len(values) - 1
    out: list = []
    for position, _name, kind, max_length in layout.fields:
        raw = values[blank if position is None else position].strip()
        if kind == "text":
            if max_length and len(raw) > max_length:
                raise RowError(layout.header[position], raw[:80], f"più lungo di {max_length} caratteri")
            out.append(raw)
        elif kind == "list":
            out.append([part.strip() for part in raw.split(MULTI)] if raw else [])
        elif not raw:
            out.append(None)
        else:
            try:
                out.append(clean_decimal(raw) if kind == "decimal" else clean_date(raw))
            except ValueError as exc:
                raise RowError(layout.header[position], raw[:80], str(exc)) from None
    if not out[0]:
        raise RowError(layout.header[layout.fields[0][0]], "", "valore obbligatorio mancante")
    subjects = []
    for label, parts in layout.subjects:
        split = {part: values[i].split(MULTI) for part, i in parts.items() if values[i].strip()}
        if not split:
            continue
        for entry in zip_longest(*split.values(), fillvalue=""):
            item = {k: v.strip() for k, v in zip(split, entry, strict=True) if v.strip()}
            if item.get("name") or item.get("tax_code"):
                subjects.append({"role": label, **item})
    out.append(subjects)
    out.append({name: values[i].strip() for i, name in layout.raw if values[i].strip()})
    places = {key: values[i] for key, i in layout.places.items()}
    return out, places


# Bump when the cleaning rules change: every record is then re-processed on the next import.
IMPORTER_VERSION = b"monitora-catalogue-1"


def row_hash(text: str) -> int:
    """64-bit signed hash of the cleaned row (as written to the database): the change detector."""
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def source_hasher(layout: "Layout"):
    """Hash of a raw record, salted with the importer version and the header (drift = re-process)."""
    salt = blake2b(IMPORTER_VERSION + "\x1f".join(layout.header).encode(), digest_size=16).digest()

    def digest(record: bytes) -> int:
        return int.from_bytes(
            blake2b(record.rstrip(b"\r\n"), digest_size=8, key=salt).digest(), "big", signed=True
        )

    return digest


@dataclass
class ChunkResult:
    rows: list  # [(line, values incl. hash, territory_ids)]
    errors: list  # [{line, column, value, reason}]
    read: int
    copy_text: bytes = b""


def _copy_value(value) -> str:
    """A value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if value.__class__ is not str:
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


_STATE: dict = {}


def init_worker(layout: Layout, resolver, copy_format: bool) -> None:
    _STATE.update(layout=layout, resolver=resolver, copy=copy_format, hasher=source_hasher(layout))


def parse_chunk(first_line: int, data: bytes) -> ChunkResult:
    """Parse a block of complete records starting at physical line `first_line`."""
    layout, resolver, copy_format = _STATE["layout"], _STATE["resolver"], _STATE["copy"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data.count(b"\n", 0, exc.start)
        raise ImportFileError(f"riga {line}: il file non è UTF-8 ({exc.reason})") from None
    from .source import iter_records

    hasher = _STATE["hasher"]
    source_hashes = [hasher(record) for _line, record in iter_records(io.BytesIO(data))]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    result = ChunkResult(rows=[], errors=[], read=0)
    lines: list[str] = []
    previous = 0
    for index, values in enumerate(reader):
        line = first_line + previous
        previous = reader.line_num
        if not values or values == [""]:
            continue
        result.read += 1
        try:
            cleaned, places = clean_row(values, layout)
            territory_ids = resolver.resolve(**places) if resolver else []
        except RowError as exc:
            result.errors.append(
                {"line": line, "column": exc.column, "value": exc.value, "reason": exc.reason}
            )
            continue
        cleaned.append(str(source_hashes[index]) if index < len(source_hashes) else None)
        ids = "{" + ",".join(map(str, territory_ids)) + "}"
        text = "\t".join([*map(_copy_value, cleaned), ids])
        digest = row_hash(text)
        if copy_format:
            lines.append(f"{line}\t{text}\t{digest}")
        else:
            cleaned.append(digest)
            result.rows.append((line, cleaned, territory_ids))
    if copy_format:
        result.copy_text = ("\n".join(lines) + "\n").encode() if lines else b""
    return result
