"""Read and check every row of a legacy CSV before anything is written.

Lenient by default: a cell that fails its check leaves its typed value empty and becomes a note
(column, line, reason, the cell verbatim); `strict` turns the same problems into errors that
refuse the file. Structural problems (header, unreadable CSV, missing or repeated ids) are
always errors. Mojibake is repaired in every cell (the original stays in the raw record).
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import ftfy
from django.core.exceptions import ValidationError

from monitora.imports.models import NoteKind
from monitora.imports.recording import CellNote
from monitora.questionnaires.definitions import LEGACY
from monitora.questionnaires.spec import Kind
from monitora.questionnaires.validation import CleanAnswer, clean_answers
from monitora.reports.models import Report
from monitora.teams.models import Team

from ..errors import CONTROL_CHARS, ImportIssue, validation_messages
from . import columns as c

# Report fields and Team fields whose length the database limits, by source column.
REPORT_LIMITS = {"titolo": "title", "autore": "author_name", "indirizzo": "address", "cap": "postcode"}


@dataclass
class LegacyRow:
    """One checked row: report fields, answers, links, its team, and what could not be typed."""

    line: int
    legacy_id: str
    fields: dict[str, Any]
    answers: dict[str, CleanAnswer]
    links: list[tuple[str, str]]
    team: dict[str, str] | None
    published_at: Any = None
    has_impact: bool = False
    cells: dict[str, str] = field(default_factory=dict)  # the source record verbatim
    notes: list[CellNote] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # columns whose encoding was repaired


@dataclass
class LegacyFile:
    rows: list[LegacyRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def clean_cell(value: str) -> str:
    """Cells lose invisible control characters and surrounding blanks; '' means not given."""
    return CONTROL_CHARS.sub("", value).strip()


# 'À' as UTF-8 read as cp1252 is 'Ã€' or 'Ã' + an invisible C1 control that old exports dropped;
# Italian never writes 'Ã' at the end of a word, so a lone one there is a truncated à/À.
_LONE_A_TILDE = re.compile(r"(?<=\w)Ã(?=[\s\W]|$)")


def repair_cell(value: str) -> str:
    """Undo mojibake (UTF-8 read as Latin-1/cp1252, once or twice); other text is left alone."""
    if value.isascii():
        return value
    fixed = ftfy.fix_encoding(value)
    return _LONE_A_TILDE.sub(lambda m: "À" if m.string[m.start() - 1].isupper() else "à", fixed)


def read_cell(raw: str) -> str:
    """The value of a cell: control characters out, encoding repaired, blanks trimmed."""
    return repair_cell(CONTROL_CHARS.sub("", raw)).strip()


def _option_code(column: str, value: str) -> str:
    """Closed answers come as labels (or codes), compared without case, accents or extra spaces."""
    question = LEGACY.question(column)
    assert question is not None
    wanted = c.fold_label(value)
    for option in question.options:
        if wanted in (option.code, c.fold_label(option.label_it)):
            return option.code
    allowed = "; ".join(repr(o.label_it) for o in question.options)
    raise ValueError(f"opzione sconosciuta {value!r} (ammesse: {allowed})")


class _RowReader:
    def __init__(self, filename: str, line: int, cells: dict[str, str], *, strict: bool):
        self.filename, self.line, self.cells, self.strict = filename, line, cells, strict
        self.record: dict[str, str] = {}
        self.repairs: list[str] = []
        for column, raw in cells.items():
            value = read_cell(raw)  # repaired before trimming: mojibake can end in a no-break space
            if value != clean_cell(raw):
                self.repairs.append(column)
            self.record[column] = value
        self.issues: list[ImportIssue] = []
        self.notes: list[CellNote] = []
        self.label = f"record ID_Monithon2 {self.record.get('ID_Monithon2') or '?'}"

    def issue(self, column: str, reason: str) -> None:
        self.issues.append(ImportIssue(self.filename, self.line, column, reason, record=self.label))

    def problem(self, column: str, reason: str, kind: str = NoteKind.INVALID, *, always_note=False) -> None:
        """An error in strict mode; otherwise a note that keeps the cell as it was written."""
        if self.strict and not always_note:
            self.issue(column, reason)
        else:
            self.notes.append(CellNote(self.line, column, self.cells.get(column, ""), kind, reason))

    def get(self, column: str, convert: Callable[[str], Any] | None = None, *, label: bool = False) -> Any:
        """The converted cell, or None; `label` marks a label to normalise (a note, never an error)."""
        value = self.record.get(column, "")
        if not value or convert is None:
            return value or None
        try:
            return convert(value)
        except ValueError as exc:
            kind = NoteKind.UNKNOWN_LABEL if label else getattr(exc, "kind", NoteKind.INVALID)
            self.problem(column, str(exc), kind, always_note=label)
            return None

    def fit(self, column: str, value: str, limit: int | None) -> str:
        if limit and len(value) > limit:
            self.problem(column, f"troppo lungo ({len(value)} caratteri, massimo {limit})", NoteKind.TOO_LONG)
            return ""
        return value

    def text(self, column: str) -> str:
        return self.fit(
            column, self.get(column) or "", Report._meta.get_field(REPORT_LIMITS[column]).max_length
        )

    def answers(self) -> dict[str, CleanAnswer]:
        raw: dict[str, Any] = {}
        for question in LEGACY.questions:
            if question.kind == Kind.BOOLEAN:
                value = self.get(question.key, c.to_flag)
            elif question.kind == Kind.CHOICE:
                value = self.get(question.key, lambda v, k=question.key: _option_code(k, v))
            else:
                value = self.get(question.key)
            if value is not None:
                raw[question.key] = value
        for _attempt in range(2):  # lenient: drop what the questionnaire refuses, then retry once
            try:
                return clean_answers(LEGACY.code, raw)
            except ValidationError as exc:
                for key, messages in validation_messages(exc).items():
                    for message in messages:
                        self.problem(key or "(risposte)", message)
                    raw.pop(key, None)
                if self.strict:
                    break
        return {}

    def snapshot(self, code: str) -> dict[str, Any]:
        converters: dict[str, Callable[[str], Any]] = {
            "start_date": c.to_oc_date,
            "actual_end_date": c.to_oc_date,
            "source_updated_on": c.to_oc_date,
            "net_public_funding": c.to_amount,
            "programmes": lambda v: [p.strip() for p in v.split(c.SUBJECT_SEPARATOR)],
        }
        values: dict[str, Any] = {"code": code} if code else {}
        for column, key in c.SNAPSHOT_COLUMNS.items():
            value = self.get(column, converters.get(key, str))
            if value is not None:
                values[key] = _jsonable(value)
        # Labels as written, plus OpenCoesione's codes so one theme is one facet; an unknown label
        # is a note even in strict mode (it is kept as written).
        for key, column, convert in (
            ("theme_code", "oc_tema_sintetico", c.to_theme_code),
            ("cycle_code", "oc_descr_ciclo", c.to_cycle_code),
        ):
            code_value = self.get(column, convert, label=True)
            if code_value:
                values[key] = code_value
        subjects = [
            {"role": role, "name": name.strip()}
            for column, role in c.ROLE_COLUMNS.items()
            for name in (self.get(column) or "").split(c.SUBJECT_SEPARATOR)
            if name.strip()
        ]
        if subjects:
            values["subjects"] = subjects
        return values

    def team(self) -> dict[str, str] | None:
        if not self.record.get("username"):
            return None
        values = {
            name: self.fit(column, self.record.get(column, ""), Team._meta.get_field(name).max_length)
            for column, name in c.TEAM_COLUMNS.items()
        }
        values["handle"] = self.handle
        values["category"] = c.to_category(values["category_label"])
        return values if values["name"] else None

    def read(self) -> LegacyRow:
        legacy_id = self.record.get("ID_Monithon2", "")
        if not legacy_id:
            self.issue("ID_Monithon2", "valore obbligatorio mancante")
        for column in ("titolo", "report_created_at"):
            if not self.record.get(column):
                self.problem(column, "valore obbligatorio mancante", NoteKind.MISSING)
        code = self.fit("cod_grande_progetto", self.get("cod_grande_progetto") or "", 100)
        snapshot = self.snapshot(code)
        submitted_at = self.get("report_created_at", c.to_created_at)
        step3_at = self.get("tab_3_created_at", c.to_step3_at)
        answers = self.answers()
        has_impact = step3_at is not None or any(LEGACY.question(k).step == 3 for k in answers)
        self.handle = self.fit("twitter", self.get("twitter", c.to_handle) or "", 100)
        url = self.get("id_open_coesione", c.to_url) or ""
        fields = {
            "title": self.text("titolo") or f"Report Monithon {legacy_id}",
            "author_name": self.text("autore"),
            "handle": self.handle,
            "opencoesione_url": self.fit("id_open_coesione", url, 500),
            "address": self.text("indirizzo"),
            "postcode": self.text("cap"),
            "latitude": self.get("lat_", lambda v: c.to_coordinate(v, limit=90)),
            "longitude": self.get("lon_", lambda v: c.to_coordinate(v, limit=180)),
            "submitted_at": submitted_at,
            "impact_submitted_at": step3_at,
            "language": "it",
            "project_code": code,
            "project_snapshot": snapshot,
        }
        links = [
            (kind, self.fit(column, url, 1000))
            for column, kind in c.LINK_COLUMNS.items()
            if (url := self.get(column, c.to_url))
        ]
        team = self.team()
        return LegacyRow(
            self.line,
            legacy_id,
            fields,
            answers,
            [(kind, url) for kind, url in links if url],
            team,
            published_at=submitted_at,
            has_impact=has_impact,
            cells=dict(self.cells),
            notes=self.notes,
            repairs=self.repairs,
        )


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def read_legacy_record(
    cells: dict[str, str], *, filename: str, line: int, strict: bool = False
) -> tuple[LegacyRow, list[ImportIssue]]:
    """Check one source record (also used to re-read a record an editor corrected)."""
    reader = _RowReader(filename, line, cells, strict=strict)
    return reader.read(), reader.issues


def read_legacy_csv(text: str, *, filename: str, strict: bool = False) -> LegacyFile:
    """Check the header, then every row; the result carries all errors and notes found."""
    result = LegacyFile()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [clean_cell(h) for h in next(reader)]
    except StopIteration:
        result.issues.append(ImportIssue(filename, 1, "(intestazione)", "il file è vuoto"))
        return result
    except csv.Error as exc:
        result.issues.append(ImportIssue(filename, 1, "(intestazione)", f"CSV non valido: {exc}"))
        return result
    missing = [column for column in c.REQUIRED_COLUMNS if column not in header]
    for column in missing:
        result.issues.append(
            ImportIssue(filename, 1, column, "colonna obbligatoria mancante nell'intestazione")
        )
    duplicated = sorted({h for h in header if header.count(h) > 1})
    for column in duplicated:
        result.issues.append(ImportIssue(filename, 1, column, "colonna ripetuta nell'intestazione"))
    known = set(c.REQUIRED_COLUMNS) | set(c.IGNORED_COLUMNS) | set(c.PRIVATE_COLUMNS)
    unknown = [h for h in header if h not in known]
    if unknown:
        result.warnings.append(f"{filename}: colonne sconosciute ignorate: {', '.join(unknown)}")
    if result.issues:
        return result
    seen: dict[str, int] = {}
    ignored_filled: set[str] = set()
    line = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.issues.append(ImportIssue(filename, line, "(riga)", f"CSV non valido: {exc}"))
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            reason = f"la riga ha {len(cells)} campi invece di {len(header)} (virgolette non chiuse?)"
            result.issues.append(ImportIssue(filename, start, "(riga)", reason))
            continue
        record = {h: v for h, v in zip(header, cells, strict=True) if h not in c.PRIVATE_COLUMNS}
        ignored_filled |= {h for h in c.IGNORED_COLUMNS if clean_cell(record.get(h, ""))}
        row_reader = _RowReader(filename, start, record, strict=strict)
        row = row_reader.read()
        if row.legacy_id in seen:
            row_reader.issue("ID_Monithon2", f"ID ripetuto: compare già alla riga {seen[row.legacy_id]}")
        elif row.legacy_id:
            seen[row.legacy_id] = start
        result.issues += row_reader.issues
        if not row_reader.issues:
            result.rows.append(row)
    if ignored_filled:
        result.warnings.append(
            f"{filename}: colonne di sistema non importate (valori ignorati): "
            + ", ".join(sorted(ignored_filled))
        )
    return result
