"""Read and check every row of a legacy CSV before anything is written (errors for all rows at once)."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from monitora.questionnaires.definitions import LEGACY
from monitora.questionnaires.spec import Kind
from monitora.questionnaires.validation import CleanAnswer, clean_answers
from monitora.reports.models import ImpactStatus, ReportStatus

from ..importing.errors import CONTROL_CHARS, ImportIssue, validation_messages
from . import columns as c


@dataclass
class LegacyRow:
    """One checked row: report fields, answers, links, and the team and project it points at."""

    line: int
    legacy_id: str
    fields: dict[str, Any]
    answers: dict[str, CleanAnswer]
    links: list[tuple[str, str]]
    team: dict[str, str] | None
    project: dict[str, Any] | None


@dataclass
class LegacyFile:
    rows: list[LegacyRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def clean_cell(value: str) -> str:
    """Cells lose invisible control characters and surrounding blanks; '' means not given."""
    return CONTROL_CHARS.sub("", value).strip()


def _option_code(column: str, value: str) -> str:
    """Closed answers come as labels (or codes); unknown ones name the allowed labels."""
    question = LEGACY.question(column)
    assert question is not None
    wanted = " ".join(value.split()).casefold()
    for option in question.options:
        if wanted in (option.code, " ".join(option.label_it.split()).casefold()):
            return option.code
    allowed = "; ".join(repr(o.label_it) for o in question.options)
    raise ValueError(f"opzione sconosciuta {value!r} (ammesse: {allowed})")


class _RowReader:
    def __init__(self, filename: str, line: int, record: dict[str, str]):
        self.filename, self.line, self.record = filename, line, record
        self.issues: list[ImportIssue] = []
        self.label = f"record ID_Monithon2 {record.get('ID_Monithon2') or '?'}"

    def issue(self, column: str, reason: str) -> None:
        self.issues.append(ImportIssue(self.filename, self.line, column, reason, record=self.label))

    def get(self, column: str, convert: Callable[[str], Any] | None = None) -> Any:
        value = self.record.get(column, "")
        if not value or convert is None:
            return value or None
        try:
            return convert(value)
        except ValueError as exc:
            self.issue(column, str(exc))
            return None

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
        try:
            return clean_answers(LEGACY.code, raw)
        except ValidationError as exc:
            for key, messages in validation_messages(exc).items():
                for message in messages:
                    self.issue(key, message)
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
                values[key] = value
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
        values = {name: self.record.get(column, "") for column, name in c.TEAM_COLUMNS.items()}
        for column in ("link_blog", "link_elaborato"):
            url = self.get(column, c.to_url)
            values[c.TEAM_COLUMNS[column]] = url or ""
        values["handle"] = self.get("twitter", c.to_handle) or ""
        values["category"] = c.to_category(values["category_label"])
        return values

    def read(self) -> LegacyRow:
        for column in c.REQUIRED_VALUES:
            if not self.record.get(column):
                self.issue(column, "valore obbligatorio mancante")
        code = self.get("cod_grande_progetto") or ""
        snapshot = self.snapshot(code)
        submitted_at = self.get("report_created_at", c.to_created_at)
        step3_at = self.get("tab_3_created_at", c.to_step3_at)
        answers = self.answers()
        has_impact = step3_at is not None or any(LEGACY.question(k).step == 3 for k in answers)
        fields = {
            "title": self.get("titolo") or "",
            "author_name": self.get("autore") or "",
            "handle": self.get("twitter", c.to_handle) or "",
            "opencoesione_url": self.get("id_open_coesione", c.to_url) or "",
            "address": self.get("indirizzo") or "",
            "postcode": self.get("cap") or "",
            "latitude": self.get("lat_", lambda v: c.to_coordinate(v, limit=90)),
            "longitude": self.get("lon_", lambda v: c.to_coordinate(v, limit=180)),
            "submitted_at": submitted_at,
            "published_at": submitted_at,
            "impact_submitted_at": step3_at,
            "status": ReportStatus.PUBLISHED,
            "impact_status": ImpactStatus.PUBLISHED if has_impact else ImpactStatus.NOT_STARTED,
            "language": "it",
            "project_code": code,
            "project_snapshot": {k: _jsonable(v) for k, v in snapshot.items()},
        }
        links = [
            (kind, url) for column, kind in c.LINK_COLUMNS.items() if (url := self.get(column, c.to_url))
        ]
        project = dict(snapshot) if code else None
        return LegacyRow(
            self.line, self.record.get("ID_Monithon2", ""), fields, answers, links, self.team(), project
        )


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def read_legacy_csv(text: str, *, filename: str) -> LegacyFile:
    """Check the header, then every row; the result carries all problems found."""
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
        record = {h: clean_cell(v) for h, v in zip(header, cells, strict=True) if h not in c.PRIVATE_COLUMNS}
        ignored_filled |= {h for h in c.IGNORED_COLUMNS if record.get(h)}
        row_reader = _RowReader(filename, start, record)
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
