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


def iter_chunks(stream, *, rows: int, progress=None) -> Iterator[tuple[int, bytes]]:
    """Yield (first physical line number, bytes of about `rows` complete records)."""
    line_no = 2  # line 1 is the header
    start = line_no
    buffer: list[bytes] = []
    records = 0
    in_quotes = False
    size = 0
    for line in stream:
        buffer.append(line)
        size += len(line)
        if line.count(b'"') & 1:
            in_quotes = not in_quotes
        line_no += 1
        if not in_quotes:
            records += 1
            if records >= rows:
                if progress:
                    progress(size, records)
                yield start, b"".join(buffer)
                buffer, records, size, start = [], 0, 0, line_no
    if buffer:
        if progress:
            progress(size, records)
        yield start, b"".join(buffer)
