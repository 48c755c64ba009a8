"""Editors' decisions on data-quality notes: accept the value as it is, or correct it. Audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from monitora.core.models import log_action
from monitora.core.permissions import require
from monitora.imports.legacy.correct import legacy_report_correct

from .models import NoteStatus, QualityNote


def _resolve(note: QualityNote, *, status: str, by: Any, corrected_value: str = "") -> QualityNote:
    note.status, note.corrected_value = status, corrected_value
    note.resolved_by, note.resolved_at = by, timezone.now()
    note.save(update_fields=["status", "corrected_value", "resolved_by", "resolved_at"])
    return note


@transaction.atomic
def quality_note_accept(*, note: QualityNote, by: Any) -> QualityNote:
    """The editor checked the note and keeps the report as it is (e.g. prose where a URL was asked)."""
    require(by, "imports.review", note)
    note = _resolve(note, status=NoteStatus.ACCEPTED, by=by)
    log_action(
        note, action="quality_note.accepted", actor=by, data={"report": note.report_id, "column": note.column}
    )
    return note


@transaction.atomic
def quality_note_correct(*, note: QualityNote, value: str, by: Any) -> QualityNote:
    """Set the value the cell should have had; the report is saved through its audited edit path.

    The correction is remembered on the note, so re-importing the same archive applies it again
    instead of emptying the field.
    """
    require(by, "imports.review", note)
    value = value.strip()
    if not value:
        raise ValidationError({"value": "scrivi il valore corretto, oppure accetta la nota"})
    legacy_report_correct(report=note.report, column=note.column, value=value, actor=by)
    note = _resolve(note, status=NoteStatus.CORRECTED, by=by, corrected_value=value)
    log_action(
        note,
        action="quality_note.corrected",
        actor=by,
        data={"report": note.report_id, "column": note.column, "from": note.raw_value, "to": value},
    )
    return note
