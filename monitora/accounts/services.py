"""Profile and GDPR services: data download, account deletion, verified representatives."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitora.core.models import AuditLog, log_action
from monitora.core.permissions import require
from monitora.teams.models import Invitation, Membership

from .models import Profile


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


def profile_get(user: Any) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user: Any, author_category: str, display_name: str, handle: str) -> Profile:
    profile = profile_get(user)
    profile.author_category = author_category
    profile.display_name = " ".join((display_name or "").split())[:150]
    profile.handle = (handle or "").strip()
    profile.full_clean()
    profile.save(update_fields=["author_category", "display_name", "handle", "updated_at"])
    log_action(profile, action="profile.updated", actor=user)
    return profile


def user_data_export(*, user: Any, by: Any) -> dict[str, Any]:
    """Everything Monitora holds about a person (GDPR art. 15/20), as JSON-ready data."""
    require(by, "data.export_private", user)
    profile = profile_get(user)
    from allauth.account.models import EmailAddress

    from monitora.follows.selectors import follow_data_export
    from monitora.reports.models import Report

    return {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
        },
        "profile": {
            "author_category": profile.author_category,
            "display_name": profile.display_name,
            "handle": profile.handle,
            "administration_name": profile.administration_name,
            "representative_verified": profile.is_verified_representative,
        },
        "teams": [
            {"team": m.team.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("team")
        ],
        "reports_created": [
            {"id": r.pk, "title": r.title, "status": r.status, "team": r.team.name if r.team else None}
            for r in Report.objects.filter(created_by=user).select_related("team")
        ],
        # Follows and the notifications sent about them (deleted with the account: FK cascade).
        **follow_data_export(user),
        "activity": [
            {"at": a.created_at.isoformat(), "action": a.action, "object": f"{a.object_type}#{a.object_id}"}
            for a in AuditLog.objects.filter(actor=user).order_by("created_at")[:10000]
        ],
    }


@transaction.atomic
def user_delete(*, user: Any, by: Any) -> None:
    """Delete the account and personal data. Reports stay with their team (created_by → NULL).

    A sole owner of a team with other members must hand over ownership first, so no team is left
    without anyone able to manage it.
    """
    require(by, "account.delete", user)
    for membership in Membership.objects.filter(user=user, role=Membership.Role.OWNER).select_related("team"):
        team = membership.team
        others = team.memberships.exclude(user=user)
        if others.exists() and not others.filter(role=Membership.Role.OWNER).exists():
            raise ValidationError(
                _("Sei l'unico responsabile del team «%(team)s»: nomina un altro responsabile prima.")
                % {"team": team.name},
                code="sole_owner",
            )
    user_id = user.pk
    # Pending invitations name the address: they are personal data too.
    Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()
    # Audit entries keep what happened, not who: the actor FK becomes NULL with the account.
    log_action(user, action="account.deleted", actor=None, data={"user": user_id})
    get_user_model().objects.filter(pk=user_id).delete()
