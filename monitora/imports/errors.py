"""Import problems are collected, never raised one at a time: operators fix a file in one pass."""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

# C0 control characters other than tab and newlines: invisible garbage in legacy exports.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ImportIssue:
    """One problem, located precisely enough to fix it in an editor."""

    file: str
    line: int | None
    field: str
    reason: str
    record: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, riga {self.line}"
        if self.record:
            where += f" ({self.record})"
        return f"{where}, campo {self.field!r}: {self.reason}"


class ImportFailed(Exception):
    """The file was refused; nothing was written. Carries every problem found."""

    def __init__(self, issues: list[ImportIssue]):
        self.issues = issues
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.issues)
        head = f"{count} problema trovato" if count == 1 else f"{count} problemi trovati"
        return "\n".join([f"Import rifiutato, nessun dato scritto: {head}.", *map(str, self.issues)])


@dataclass
class ImportResult:
    file: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    report_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Values kept as notes by (column, kind), encoding repairs by column.
    notes: Counter = field(default_factory=Counter)
    repairs: Counter = field(default_factory=Counter)
    # Reports placed on the map through their catalogue project's territories.
    places_linked: int | None = None

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        prefix = "Verifica (--dry-run), nessun dato scritto: " if self.dry_run else ""
        lines = [
            f"{prefix}{self.file}: {self.created} report creati, {self.updated} aggiornati, "
            f"{self.unchanged} invariati"
        ]
        if self.notes:
            lines.append(f"Valori conservati come note per la redazione: {sum(self.notes.values())}")
            lines += [f"  {column} ({kind}): {n}" for (column, kind), n in sorted(self.notes.items())]
        if self.repairs:
            lines.append(f"Codifica del testo riparata: {sum(self.repairs.values())} celle")
            lines += [f"  {column}: {n}" for column, n in sorted(self.repairs.items())]
        if self.places_linked is not None:
            lines.append(f"Report collocati in un territorio tramite il progetto: {self.places_linked}")
        return "\n".join(lines)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(
            [ImportIssue(str(path), None, "(file)", f"impossibile leggere il file: {exc}")]
        ) from exc


def read_utf8(path: Path, data: bytes | None = None) -> str:
    """Read a whole file as UTF-8 (a BOM is accepted); any other encoding is refused with its line."""
    if data is None:
        data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        reason = (
            f"il file non è in UTF-8 (byte 0x{data[exc.start]:02x} non valido alla colonna {column}); "
            "salvalo con codifica UTF-8 e riprova"
        )
        raise ImportFailed([ImportIssue(path.name, line, "(codifica)", reason)]) from exc


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    """ValidationError as {field: [messages]}, whatever shape it was raised with."""
    if hasattr(exc, "error_dict"):
        return {key: [m for e in errors for m in e.messages] for key, errors in exc.error_dict.items()}
    return {"": list(exc.messages)}
