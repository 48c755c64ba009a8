"""Opening an OpenCoesione file (CSV or the zip that holds it) and cutting it into record chunks.

The main process only splits the byte stream at record boundaries (a record ends at a newline
outside quotes), hashes it and counts bytes for the progress bar; parsing happens in workers.
"""

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .parsing import ImportFileError, Layout

BOM = b"\xef\xbb\xbf"


@contextmanager
def open_source(path: Path):
    """Yield (binary stream, member name, uncompressed size). Zips: the first *.csv member."""
    if not path.exists():
        raise ImportFileError(f"{path}: file non trovato")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if not members:
                raise ImportFileError(f"{path}: lo zip non contiene file .csv")
            member = sorted(members, key=lambda m: m.filename)[0]
            with archive.open(member) as raw:
                yield io.BufferedReader(raw, buffer_size=1 << 20), member.filename, member.file_size
    else:
        with open(path, "rb", buffering=1 << 20) as fh:
            yield fh, "", path.stat().st_size


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def read_header(stream) -> tuple[Layout, int]:
    """Read the header record; returns the layout and the number of bytes consumed."""
    first = stream.readline()
    consumed = len(first)
    if first.startswith(BOM):
        first = first[len(BOM) :]
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError("intestazione non in UTF-8") from None
    if not text.strip():
        raise ImportFileError("file vuoto: manca l'intestazione")
    counts = {d: text.count(d) for d in (";", ",", "\t", "|")}
    delimiter = max(counts, key=counts.get)
    header = next(csv.reader([text.rstrip("\r\n")], delimiter=delimiter))
    return Layout.from_header(header, delimiter), consumed


def iter_records(lines) -> Iterator[tuple[int, bytes]]:
    """(first physical line, bytes) of each record: a record ends at a newline outside quotes."""
    line_no = 2  # line 1 is the header
    start = line_no
    parts: list[bytes] = []
    in_quotes = False
    for line in lines:
        parts.append(line)
        if line.count(b'"') & 1:
            in_quotes = not in_quotes
        line_no += 1
        if not in_quotes:
            yield start, parts[0] if len(parts) == 1 else b"".join(parts)
            parts, start = [], line_no
    if parts:
        yield start, b"".join(parts)


def iter_chunks(
    stream, *, rows: int, progress=None, keep: set[int] | None = None
) -> Iterator[tuple[int, bytes]]:
    """Yield (first line, bytes of up to `rows` consecutive records); with `keep`, only those records."""
    buffer: list[bytes] = []
    start = 0
    size = records = 0
    expected = None
    for line, record in iter_records(stream):
        size += len(record)
        records += 1
        if keep is not None and line not in keep:
            continue
        if buffer and line != expected:  # a gap: chunks hold consecutive records only
            yield start, b"".join(buffer)
            buffer = []
        if not buffer:
            start = line
        buffer.append(record)
        expected = line + record.count(b"\n")
        if len(buffer) >= rows:
            if progress:
                progress(size, records)
                size = records = 0
            yield start, b"".join(buffer)
            buffer = []
    if progress:
        progress(size, records)
    if buffer:
        yield start, b"".join(buffer)


def record_lines(path: Path, records: set[int]) -> dict[int, int]:
    """Physical line of the given record numbers (0-based, empty lines not counted, as Arrow reads)."""
    found: dict[int, int] = {}
    if not records:
        return found
    last = max(records)
    with open_source(path) as (stream, _member, _size):
        stream.readline()
        number = 0
        for line, record in iter_records(stream):
            if not record.strip(b"\r\n"):
                continue
            if number in records:
                found[number] = line
            if number >= last:
                break
            number += 1
    return found
