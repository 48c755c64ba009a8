"""An editor's correction of one legacy source cell, applied as if the archive had said it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from monitora.imports.models import RawRecord
from monitora.imports.recording import corrections_for
from monitora.reports.changes import reports_changed
from monitora.reports.models import Report, ReportSource
from monitora.reports.services import report_replace

from ..persist import report_links_replace
from .columns import TEAM_COLUMNS
from .parse import read_legacy_record
from .services import legacy_record


@transaction.atomic
def legacy_report_correct(*, report: Report, column: str, value: str, actor: Any = None) -> Report:
    """Re-read the report's source record with `column` set to `value` and save what it gives.

    The value goes through the importer's own check (a still-invalid value is refused with the
    importer's reason) and the report is saved through `report_replace`, audited as
    `report.corrected`. The raw record keeps the source as it was; the caller records the
    correction on the note so a re-import of the same source applies it again.
    """
    raw = RawRecord.objects.filter(report=report).first()
    if report.source != ReportSource.LEGACY_CSV or raw is None:
        raise ValidationError(
            "questo report non ha un record d'archivio: correggilo dalla redazione o dall'autore"
        )
    if column in TEAM_COLUMNS:
        raise ValidationError({column: "è un dato del team: si corregge sul team, non sul report"})
    cells = dict(raw.cells)
    for name, (source, corrected) in corrections_for(report_ids=[report.pk]).get(report.pk, {}).items():
        if cells.get(name, "") == source:
            cells[name] = corrected
    cells[column] = value
    row, _issues = read_legacy_record(cells, filename="(correzione)", line=raw.line or 0)
    refused = [note.reason for note in row.notes if note.column == column]
    if refused:
        raise ValidationError({column: refused})
    record = legacy_record(row=row, questionnaire=report.questionnaire, team=report.team)
    report = report_replace(
        report=report,
        fields=record.report_fields(),
        answers=record.answers,
        actor=actor,
        action="report.corrected",
    )
    report_links_replace(report, record.links or [])
    reports_changed([report.pk], reason="report.corrected")
    return report
