"""Opening an OpenCoesione file (CSV or the zip that holds it), its header, and finding lines: Arrow
numbers records but knows no physical lines, so `record_lines()` re-reads a file with rejected rows."""

import csv
import hashlib
import io
import zipfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .columns import ImportFileError, normalise_header

BOM = b"\xef\xbb\xbf"


class Source(io.RawIOBase):
    """The CSV bytes as read: counted (progress), hashed (SHA-256 of the CSV) and watched for NUL."""

    def __init__(self, stream, name: str, member: str, size: int):
        self.stream, self.name, self.member, self.size = stream, name, member, size
        self.count, self.nul, self.digest = 0, False, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        self.digest.update(data)
        self.nul |= b"\x00" in data  # cheap on the raw block; the cleaner then checks the values
        return len(data)

    def sha256(self) -> str:
        """Of the whole CSV (the zip member's content for zips), once it has been read to the end."""
        while self.read(1 << 20):
            pass
        return self.digest.hexdigest()


@contextmanager
def open_source(path: Path):
    """Yield (Source, buffered stream over it). Zips: the first *.csv member."""
    if not path.exists():
        raise ImportFileError(f"{path}: file non trovato")
    with ExitStack() as stack:
        if zipfile.is_zipfile(path):
            archive = stack.enter_context(zipfile.ZipFile(path))
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if not members:
                raise ImportFileError(f"{path}: lo zip non contiene file .csv")
            first = min(members, key=lambda m: m.filename)
            raw, member, size = archive.open(first), first.filename, first.file_size
        else:
            raw, member, size = open(path, "rb", buffering=0), "", path.stat().st_size
        source = Source(stack.enter_context(raw), path.name, member, size)
        yield source, io.BufferedReader(source, buffer_size=1 << 20)


def read_header(stream) -> tuple[list[str], str]:
    """Read the header record: (normalised column names, the separator detected from it)."""
    first = stream.readline()
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
    return [normalise_header(name) for name in header], delimiter


def record_lines(path: Path, records: set[int]) -> tuple[dict[int, int], list[tuple[int, str]]]:
    """Physical lines of record numbers (from 0, in Arrow's count: empty and malformed records not
    counted), and (line, reason) of the malformed records, those with the wrong number of columns."""
    found: dict[int, int] = {}
    malformed: list[tuple[int, str]] = []
    csv.field_size_limit(1 << 30)
    with open_source(path) as (_source, stream):
        header, delimiter = read_header(stream)
        expected = len(header)
        text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
        reader, number, line = csv.reader(text, delimiter=delimiter), 0, 2
        for row in reader:
            if row and len(row) != expected:
                malformed.append((line, f"{len(row)} colonne invece di {expected}"))
            elif row:
                if number in records:
                    found[number] = line
                number += 1
            line = reader.line_num + 2  # the header is line 1
    return found, malformed
