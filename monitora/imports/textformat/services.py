"""Import a report in the published text layout as a published report (export stays in reports)."""

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from monitora.questionnaires.definitions import get_spec
from monitora.questionnaires.models import Questionnaire
from monitora.questionnaires.validation import clean_answers
from monitora.reports.models import Report, ReportSource

from ..errors import ImportFailed, ImportIssue, ImportResult, read_utf8, validation_messages
from ..persist import ReportRecord, reports_import_published
from .parse import normalise, parse_report_text

TEXT_QUESTIONNAIRES = ("v2019", "v2022")
# The published dates are Italian calendar dates.
ROME = ZoneInfo("Europe/Rome")


def text_report_identity(*, title: str, sent_on: dt.date, author: str) -> str:
    """A stable id for a published text, which carries none of its own.

    Title, sent date and author are what identifies a publication to a reader and what the
    authors do not change when they fix a typo in the body, so re-importing a corrected file
    updates the same report. Case and spacing are ignored; a new title or date is a new report.
    """
    key = "\n".join([normalise(title), sent_on.isoformat(), normalise(author)])
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()[:40]


def _answer_issues(filename: str, exc: ValidationError, lines: dict[str, int]) -> list[ImportIssue]:
    return [
        ImportIssue(filename, lines.get(key), key or "(risposte)", message)
        for key, messages in validation_messages(exc).items()
        for message in messages
    ]


def report_text_record(*, text: str, filename: str, questionnaire_code: str) -> ReportRecord:
    """Parse and validate a text report into a record ready to upsert, or raise ImportFailed."""
    if questionnaire_code not in TEXT_QUESTIONNAIRES:
        raise ImportFailed(
            [ImportIssue(filename, None, "--questionnaire", f"versione {questionnaire_code!r} non gestita")]
        )
    parsed = parse_report_text(text, filename=filename, spec=get_spec(questionnaire_code))
    issues = list(parsed.issues)
    for name, label, value, line in (
        ("title", "titolo", parsed.title, parsed.lines.get("title")),
        ("author_name", "Di", parsed.author, parsed.lines.get("meta")),
        ("handle", "@", parsed.handle, parsed.lines.get("meta")),
    ):
        limit = Report._meta.get_field(name).max_length
        if len(value) > limit:
            issues.append(
                ImportIssue(filename, line, label, f"troppo lungo ({len(value)} caratteri, massimo {limit})")
            )
    answers = {}
    try:
        answers = clean_answers(questionnaire_code, parsed.answers)
    except ValidationError as exc:
        issues += _answer_issues(filename, exc, parsed.lines)
    if issues:
        raise ImportFailed(issues)
    assert parsed.sent_on is not None  # a missing date is an issue above
    sent_at = dt.datetime.combine(parsed.sent_on, dt.time(), tzinfo=ROME)
    has_impact = parsed.has_impact and any(
        get_spec(questionnaire_code).question(k).step == 3 for k in answers
    )
    fields: dict[str, Any] = {
        "title": parsed.title,
        "questionnaire": Questionnaire.objects.get(code=questionnaire_code),
        "author_name": parsed.author,
        "handle": parsed.handle,
        "submitted_at": sent_at,
        "language": "it",
    }
    return ReportRecord(
        source=ReportSource.TEXT,
        legacy_id=text_report_identity(title=parsed.title, sent_on=parsed.sent_on, author=parsed.author),
        fields=fields,
        answers=answers,
        published_at=sent_at,
        impact_published=has_impact,
    )


def report_import_text(
    *, path: Path, questionnaire_code: str = "v2019", dry_run: bool = False, actor: Any = None
) -> ImportResult:
    """Import one text report as a published report; all-or-nothing, `dry_run` rolls back."""
    result = ImportResult(file=path.name, dry_run=dry_run)
    record = report_text_record(
        text=read_utf8(path), filename=path.name, questionnaire_code=questionnaire_code
    )
    with transaction.atomic():
        bulk = reports_import_published(records=[record], actor=actor)
        for _record, exc in bulk.refused:
            raise ImportFailed(_answer_issues(path.name, exc, {}))
        if dry_run:
            transaction.set_rollback(True)
    for _record, report, outcome in bulk.outcomes:
        result.count(outcome)
        result.report_ids.append(report.pk)
    return result
