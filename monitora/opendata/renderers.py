"""Renderers turn an exporter's rows into text chunks: CSV (`,` or `;`), JSON, GeoJSON.

They are generators, so the same code feeds a StreamingHttpResponse and the `export_opendata`
command without holding the file in memory. Chunks are batched to ~64 KB to keep syscalls few.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BATCH_BYTES = 64 * 1024


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file writes its cells. `EXCEL_IT` is the "Excel in italiano" variant: Excel with
    Italian settings splits on `;`, reads `1234,5` as a number (and `1234.5` as text) and needs
    the byte order mark to read UTF-8."""

    delimiter: str = ","
    decimal: str = "."
    bom: bool = False


PLAIN = CsvDialect()
EXCEL_IT = CsvDialect(delimiter=";", decimal=",", bom=True)


def _decimal_text(value: float | Decimal, decimal: str) -> str:
    text = str(value)
    if "e" in text.lower():  # 1e-05: spelt out, as no spreadsheet locale agrees on exponents
        text = format(value, "f").rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def csv_cell(value: Any, dialect: CsvDialect = PLAIN) -> Any:
    """One cell: empty for None, `true`/`false`, numbers with the dialect's decimal mark, and text
    that a spreadsheet would run as a formula neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | Decimal):
        return _decimal_text(value, dialect.decimal)
    return neutralise(value)


class _Line:
    """A file-like object whose write() returns the line, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _batched(parts: Iterable[str]) -> Iterator[str]:
    buffer: list[str] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= BATCH_BYTES:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def render_csv(exporter, *, dialect: CsvDialect = PLAIN) -> Iterator[str]:
    """CSV with a header row, in the given dialect (`PLAIN` or `EXCEL_IT`)."""
    names = [column.name for column in exporter.columns]
    writer = csv.writer(_Line(), delimiter=dialect.delimiter, lineterminator="\r\n")

    def lines() -> Iterator[str]:
        yield ("\ufeff" if dialect.bom else "") + writer.writerow(names)
        for row in exporter.iterate_rows():
            yield writer.writerow([csv_cell(row[name], dialect) for name in names])

    return _batched(lines())


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def render_json(exporter) -> Iterator[str]:
    """A JSON array of objects with the same keys and order as the CSV header."""

    def parts() -> Iterator[str]:
        yield "["
        for index, row in enumerate(exporter.iterate_rows()):
            yield ("," if index else "") + "\n" + _json_dumps(row)
        yield "\n]\n"

    return _batched(parts())


def render_geojson(exporter) -> Iterator[str]:
    """A GeoJSON FeatureCollection: one Feature per report, geometry null when it has no location."""

    def parts() -> Iterator[str]:
        yield '{"type":"FeatureCollection","features":['
        for index, row in enumerate(exporter.iterate_rows()):
            lat, lon = row.get("latitude"), row.get("longitude")
            geometry = (
                {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
            )
            feature = {"type": "Feature", "id": row.get("report_id"), "geometry": geometry, "properties": row}
            yield ("," if index else "") + "\n" + _json_dumps(feature)
        yield "\n]}\n"

    return _batched(parts())


FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv-semicolon": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "geojson": ("application/geo+json", "geojson"),
}


def render(exporter, fmt: str) -> Iterator[str]:
    if fmt == "csv":
        return render_csv(exporter)
    if fmt == "csv-semicolon":
        return render_csv(exporter, dialect=EXCEL_IT)
    if fmt == "json":
        return render_json(exporter)
    if fmt == "geojson":
        return render_geojson(exporter)
    raise ValueError(f"unknown format {fmt!r}")
