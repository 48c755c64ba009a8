"""Right of reply: verified administration representatives answer published reports."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitora.core.mail import notify_on_commit, quoted
from monitora.core.models import log_action
from monitora.core.permissions import require

from ..changes import reports_changed
from ..models import AdministrationResponse, Report
from .notify import editor_emails, public_url, team_emails


@transaction.atomic
def response_add(*, report: Report, by: Any, text: str) -> AdministrationResponse:
    require(by, "report.respond", report)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": [_("La risposta è vuota.")]})
    if len(text) > 10000:
        raise ValidationError({"text": [_("La risposta è troppo lunga (massimo 10000 caratteri).")]})
    response = AdministrationResponse.objects.create(
        report=report, author=by, administration_name=by.profile.administration_name, text=text
    )
    log_action(response, action="response.added", actor=by, data={"report": report.pk})
    # The page, PDF and open data show replies; followers of the report's project hear about it.
    reports_changed([report.pk], reason="response.added")
    notify_on_commit(
        recipients=[*team_emails(report), *editor_emails()],
        subject=f"{_('Risposta ufficiale')}: {quoted(report.title)}",
        # The reply is public: everyone gets the public page, where it is shown under the report.
        body=f"{report.title}\n\n{response.administration_name}:\n{text}\n\n{public_url(report)}\n",
    )
    return response


@transaction.atomic
def response_hide(*, response: AdministrationResponse, by: Any, reason: str = "") -> AdministrationResponse:
    require(by, "response.hide", response)
    response.hidden_at = timezone.now()
    response.save(update_fields=["hidden_at", "updated_at"])
    log_action(response, action="response.hidden", actor=by, data={"reason": reason[:2000]})
    reports_changed([response.report_id], reason="response.hidden")
    return response
