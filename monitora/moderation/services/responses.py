"""Right of reply: verified administration representatives answer published reports."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitora.accounts.models import Profile
from monitora.core.models import log_action
from monitora.core.permissions import require
from monitora.reports.models import Report

from ..models import AdministrationResponse
from ..notify import editor_emails, notify_on_commit, report_url, team_emails


@transaction.atomic
def representative_verify(*, user: Any, by: Any, administration_name: str) -> Profile:
    """An editor confirms that `user` speaks for `administration_name` (checked off-line)."""
    require(by, "user.verify_representative", user)
    name = " ".join((administration_name or "").split())
    if not name:
        raise ValidationError({"administration_name": [_("Indica l'amministrazione rappresentata.")]})
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.administration_name = name[:300]
    profile.representative_verified_at = timezone.now()
    profile.representative_verified_by = by
    profile.full_clean()
    profile.save(
        update_fields=[
            "administration_name", "representative_verified_at", "representative_verified_by", "updated_at"
        ]
    )  # fmt: skip
    log_action(
        profile,
        action="representative.verified",
        actor=by,
        data={"administration": profile.administration_name},
    )
    return profile


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
    notify_on_commit(
        recipients=[*team_emails(report), *editor_emails()],
        subject=f"{_('Risposta ufficiale')}: {report.title}",
        body=f"{response.administration_name}\n\n{text}\n\n{report_url(report)}\n",
    )
    return response


@transaction.atomic
def response_hide(*, response: AdministrationResponse, by: Any, reason: str = "") -> AdministrationResponse:
    require(by, "response.hide", response)
    response.hidden_at = timezone.now()
    response.save(update_fields=["hidden_at", "updated_at"])
    log_action(response, action="response.hidden", actor=by, data={"reason": reason[:2000]})
    return response
