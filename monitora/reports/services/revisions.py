"""Edits to a published report: proposed as a revision, reviewed, then applied in one transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitora.core.mail import notify_on_commit, quoted
from monitora.core.models import log_action
from monitora.core.permissions import require

from ..changes import reports_changed
from ..models import Report, ReportRevision, ReportStatus, RevisionStatus
from .fields import clean_author_fields, merged_answers
from .notify import editor_emails, mail_body, team_emails
from .writing import report_update_locked


def _validated(report: Report, proposed: dict[str, Any]) -> tuple[dict[str, Any], dict]:
    fields = clean_author_fields(proposed.get("fields", {}))
    answers = merged_answers(report, proposed.get("answers", {}), steps=(1, 2), require_complete=True)
    return fields, answers


def revision_propose(
    *, report: Report, by: Any, fields: dict[str, Any], raw_answers: dict[str, Any]
) -> ReportRevision:
    """Store a proposed edit; the published text stays as it is until an editor approves it."""
    require(by, "report.propose_revision", report)
    if report.status != ReportStatus.PUBLISHED:
        raise ValidationError(_("Solo un report pubblicato si modifica con una revisione."))
    proposed = {"fields": fields, "answers": raw_answers}
    clean_fields, _answers = _validated(report, proposed)
    proposed["fields"] = clean_fields
    try:
        with transaction.atomic():
            revision, created = ReportRevision.objects.update_or_create(
                report=report,
                status=RevisionStatus.PENDING,
                defaults={"proposed": proposed, "base_lock_version": report.lock_version, "created_by": by},
            )
            log_action(
                revision, action="revision.proposed", actor=by, data={"report": report.pk, "new": created}
            )
            notify_on_commit(
                recipients=editor_emails(),
                subject=f"{_('Revisione da approvare')}: {quoted(report.title)}",
                body=mail_body(report, headline=_("Revisione da approvare"), for_editors=True),
            )
    except IntegrityError:
        raise ValidationError(
            _("Un'altra revisione è stata proposta nello stesso momento: ricarica la pagina."), code="stale"
        ) from None
    return revision


def _close(revision: ReportRevision, *, by: Any, status: str, note: str) -> None:
    now = timezone.now()
    if not ReportRevision.objects.filter(pk=revision.pk, status=RevisionStatus.PENDING).update(
        status=status, reviewed_by=by, reviewed_at=now, review_note=note[:5000], updated_at=now
    ):
        raise ValidationError(_("La revisione è già stata esaminata."), code="already_reviewed")
    revision.status, revision.reviewed_by, revision.reviewed_at = status, by, now


def revision_approve(
    *, revision: ReportRevision, by: Any, expected_lock_version: int, note: str = ""
) -> Report:
    """Apply the revision to the published report atomically (fields and answers together)."""
    report = revision.report
    require(by, "revision.approve", report)
    fields, answers = _validated(report, revision.proposed)
    note = (note or "").strip()
    with transaction.atomic():
        _close(revision, by=by, status=RevisionStatus.APPROVED, note=note)
        report_update_locked(
            report,
            expected_lock_version=expected_lock_version,
            expected={"status": ReportStatus.PUBLISHED},
            changes=fields,
            answers=answers,
        )
        log_action(
            report,
            action="revision.approved",
            actor=by,
            data={
                "revision": revision.pk,
                "from": report.lock_version - 1,
                "to": report.lock_version,
                "note": note[:2000],
            },
        )
        reports_changed([report.pk], reason="revision.approved")  # search and statistics show the edit
        notify_on_commit(
            recipients=team_emails(report),
            subject=f"{_('Revisione approvata')}: {quoted(report.title)}",
            body=mail_body(report, headline=_("Revisione approvata e pubblicata"), note=note),
        )
    return report


@transaction.atomic
def revision_reject(*, revision: ReportRevision, by: Any, note: str = "") -> ReportRevision:
    require(by, "revision.reject", revision.report)
    note = (note or "").strip()
    _close(revision, by=by, status=RevisionStatus.REJECTED, note=note)
    log_action(
        revision,
        action="revision.rejected",
        actor=by,
        data={"report": revision.report_id, "note": note[:2000]},
    )
    notify_on_commit(
        recipients=team_emails(revision.report),
        subject=f"{_('Revisione respinta')}: {quoted(revision.report.title)}",
        body=mail_body(revision.report, headline=_("Revisione respinta"), note=note),
    )
    return revision
