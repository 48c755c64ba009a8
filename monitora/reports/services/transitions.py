"""Status transitions of Steps 1–2 (`status`) and Step 3 (`impact_status`).

Each one: permission, allowed source states, conditional UPDATE (optimistic locking), audit entry,
the change hook (search, map and statistics follow on commit) and a queued e-mail.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitora.core.mail import notify_on_commit, quoted
from monitora.core.models import log_action
from monitora.core.permissions import require
from monitora.questionnaires.definitions import get_spec
from monitora.questionnaires.validation import clean_answers

from ..changes import reports_changed
from ..models import ImpactStatus, Report, ReportStatus
from ..selectors import report_raw_answers
from .fields import cup_nature_of
from .locking import conditional_update, state_label
from .notify import editor_emails, mail_body, team_emails
from .snapshot import project_snapshot


@dataclass(frozen=True)
class Transition:
    action: str  # permission action and audit action
    field: str  # "status" or "impact_status"
    sources: tuple[str, ...]
    target: str
    notify: str  # "team" or "editors"
    subject: str
    with_comments: bool = False  # the open per-field comments go in the e-mail too


def _run(
    t: Transition,
    *,
    report: Report,
    by: Any,
    expected_lock_version: int,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> Report:
    require(by, t.action, report)
    current = getattr(report, t.field)
    if current not in t.sources:
        allowed = ", ".join(f"«{state_label(t.field, s)}»" for s in t.sources)
        raise ValidationError(
            _("Operazione non ammessa: lo stato è «%(state)s», serve uno di: %(allowed)s.")
            % {"state": state_label(t.field, current), "allowed": allowed},
            code="invalid_transition",
        )
    with transaction.atomic():
        conditional_update(
            report,
            expected_lock_version=expected_lock_version,
            expected={t.field: current},
            changes={t.field: t.target, "updated_at": timezone.now(), **(changes or {})},
        )
        log_action(
            report,
            action=t.action,
            actor=by,
            data={"field": t.field, "from": current, "to": t.target, "note": note.strip()[:2000]},
        )
        # Publish adds it to search/map/stats, any other status (unpublish) removes it; publishing
        # Step 3 adds the impact answers, which are not indexed before.
        reports_changed([report.pk], reason=t.action)
        for_editors = t.notify == "editors"
        body = mail_body(
            report, headline=_(t.subject), note=note, for_editors=for_editors, comments=t.with_comments
        )
        recipients = editor_emails() if for_editors else team_emails(report)
        notify_on_commit(recipients=recipients, subject=f"{_(t.subject)}: {quoted(report.title)}", body=body)
    return report


REVIEWABLE = (ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW)
SUBMIT = Transition(
    "report.submit", "status", (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED),
    ReportStatus.SUBMITTED, "editors", "Nuovo report da revisionare",
)  # fmt: skip
START_REVIEW = Transition(
    "report.start_review", "status", (ReportStatus.SUBMITTED,), ReportStatus.IN_REVIEW, "team",
    "Il report è in revisione",
)  # fmt: skip
REQUEST_CHANGES = Transition(
    "report.request_changes", "status", REVIEWABLE, ReportStatus.CHANGES_REQUESTED, "team",
    "Richiesta modifiche al report", with_comments=True,
)  # fmt: skip
PUBLISH = Transition(
    "report.publish", "status", REVIEWABLE, ReportStatus.PUBLISHED, "team", "Report pubblicato"
)
UNPUBLISH = Transition(
    "report.unpublish", "status", (ReportStatus.PUBLISHED,), ReportStatus.WITHDRAWN, "team",
    "Report ritirato dalla pubblicazione",
)  # fmt: skip
REJECT = Transition(
    "report.reject", "status", (*REVIEWABLE, ReportStatus.CHANGES_REQUESTED), ReportStatus.REJECTED, "team",
    "Report respinto",
)  # fmt: skip
IMPACT_SUBMIT = Transition(
    "impact.submit", "impact_status",
    (ImpactStatus.NOT_STARTED, ImpactStatus.DRAFT, ImpactStatus.CHANGES_REQUESTED),
    ImpactStatus.SUBMITTED, "editors", "Step 3 da revisionare",
)  # fmt: skip
IMPACT_REQUEST_CHANGES = Transition(
    "impact.request_changes", "impact_status", (ImpactStatus.SUBMITTED,), ImpactStatus.CHANGES_REQUESTED,
    "team", "Richiesta modifiche allo Step 3", with_comments=True,
)  # fmt: skip
IMPACT_PUBLISH = Transition(
    "impact.publish", "impact_status", (ImpactStatus.SUBMITTED,), ImpactStatus.PUBLISHED, "team",
    "Step 3 del report approvato",
)  # fmt: skip


def report_submit(*, report: Report, by: Any, expected_lock_version: int) -> Report:
    """Send Steps 1–2 to the editors; every required answer must be there (server-side check)."""
    require(by, "report.submit", report)
    errors: dict[str, list[str]] = {}
    if not report.title.strip():
        errors["title"] = [_("Il titolo è obbligatorio.")]
    raw = {k: v for k, v in report_raw_answers(report).items() if _step_of(report, k) in (1, 2)}
    try:
        clean_answers(
            report.questionnaire.code,
            raw,
            require_complete=True,
            cup_nature=cup_nature_of(report),
            steps=(1, 2),
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return _run(
        SUBMIT, report=report, by=by, expected_lock_version=expected_lock_version,
        changes={"submitted_at": timezone.now()},
    )  # fmt: skip


def _step_of(report: Report, key: str) -> int:
    question = get_spec(report.questionnaire.code).question(key)
    return question.step if question else 0


def report_start_review(*, report: Report, by: Any, expected_lock_version: int, note: str = "") -> Report:
    return _run(START_REVIEW, report=report, by=by, expected_lock_version=expected_lock_version, note=note)


def report_request_changes(
    *, report: Report, by: Any, expected_lock_version: int, message: str = ""
) -> Report:
    return _run(
        REQUEST_CHANGES, report=report, by=by, expected_lock_version=expected_lock_version, note=message
    )


def report_publish(*, report: Report, by: Any, expected_lock_version: int, note: str = "") -> Report:
    """Publish Steps 1–2 and freeze the official project data as they are now."""
    changes = {"published_at": timezone.now(), "project_snapshot": project_snapshot(report.project)}
    return _run(
        PUBLISH, report=report, by=by, expected_lock_version=expected_lock_version, changes=changes, note=note
    )


def report_reject(*, report: Report, by: Any, expected_lock_version: int, reason: str = "") -> Report:
    return _run(REJECT, report=report, by=by, expected_lock_version=expected_lock_version, note=reason)


def report_unpublish(*, report: Report, by: Any, expected_lock_version: int, reason: str) -> Report:
    """Withdraw a published report from every public channel; the reason goes to the log and the team."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Indica il motivo del ritiro.")]}, code="reason_required")
    return _run(UNPUBLISH, report=report, by=by, expected_lock_version=expected_lock_version, note=reason)


def impact_submit(*, report: Report, by: Any, expected_lock_version: int) -> Report:
    if report.status != ReportStatus.PUBLISHED:
        raise ValidationError(
            _("Lo Step 3 si apre solo dopo la pubblicazione del report."), code="not_published"
        )
    return _run(
        IMPACT_SUBMIT, report=report, by=by, expected_lock_version=expected_lock_version,
        changes={"impact_submitted_at": timezone.now()},
    )  # fmt: skip


def impact_request_changes(
    *, report: Report, by: Any, expected_lock_version: int, message: str = ""
) -> Report:
    return _run(
        IMPACT_REQUEST_CHANGES,
        report=report,
        by=by,
        expected_lock_version=expected_lock_version,
        note=message,
    )


def impact_publish(*, report: Report, by: Any, expected_lock_version: int, note: str = "") -> Report:
    return _run(IMPACT_PUBLISH, report=report, by=by, expected_lock_version=expected_lock_version, note=note)
