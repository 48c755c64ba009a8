"""Teams: creation, e-mail invitations (hashed single-use tokens), member removal. All audited."""

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from monitora.core.mail import notify_on_commit
from monitora.core.models import log_action
from monitora.core.permissions import is_active, require
from monitora.core.siteurl import site_url

from .models import AuthorCategory, Invitation, Membership, Team

INVITATION_DAYS = 7


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def team_create(*, by: Any, name: str, category: str, school_name: str = "") -> Team:
    """Any confirmed, logged-in person can create a team and becomes its owner."""
    if not is_active(by):
        raise ValidationError(_("Accedi per creare un team."))
    name = " ".join((name or "").split())
    base = slugify(name)[:180] or "team"
    slug, n = base, 1
    while Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    team = Team(name=name, slug=slug, category=category, school_name=" ".join(school_name.split()))
    team.full_clean()
    team.save()
    Membership.objects.create(team=team, user=by, role=Membership.Role.OWNER)
    log_action(team, action="team.created", actor=by, data={"name": name, "category": category})
    return team


@transaction.atomic
def invitation_create(*, team: Team, by: Any, email: str) -> tuple[Invitation, str]:
    """Invite an address; returns the invitation and the raw token (only ever e-mailed)."""
    require(by, "team.manage", team)
    email = (email or "").strip().lower()
    validate_email(email)
    if team.members.filter(email__iexact=email).exists():
        raise ValidationError({"email": [_("Questa persona fa già parte del team.")]})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        token_hash=token_hash(token),
        invited_by=by,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    log_action(team, action="team.member_invited", actor=by, data={"invitation": invitation.pk})
    link = site_url() + reverse("teams:invitation_accept", args=[token])
    notify_on_commit(
        recipients=[email],
        # The subject is ours alone; the team name, chosen by whoever created the team, only appears
        # quoted in the body and labelled as such.
        subject=_("Invito a unirti a un team"),
        body=_(
            "Sei stato invitato in un team su Monitora.\n"
            "Nome del team, scelto da chi lo ha creato: «%(team)s»\n"
            "Se non conosci questo team, ignora questo messaggio.\n"
            "Accetta entro %(days)s giorni: %(link)s\n"
        )
        % {"team": " ".join(team.name.split())[:200], "days": INVITATION_DAYS, "link": link},
    )
    return invitation, token


def invitation_get(token: str) -> Invitation | None:
    """A usable invitation for this token, or None (unknown, used, revoked or expired)."""
    return (
        Invitation.objects.select_related("team")
        .filter(token_hash=token_hash(token or ""), accepted_at__isnull=True, revoked_at__isnull=True)
        .filter(expires_at__gt=timezone.now())
        .first()
    )


def invitation_accept(*, token: str, by: Any) -> Membership:
    """Join the team. The token is single-use: a conditional UPDATE claims it exactly once."""
    if not is_active(by):
        raise ValidationError(_("Accedi per accettare l'invito."))
    invitation = invitation_get(token)
    if invitation is None:
        raise ValidationError(_("Invito non valido, già usato o scaduto."), code="invalid_token")
    if invitation.email.lower() != (by.email or "").lower():
        raise ValidationError(
            _("L'invito è per un altro indirizzo e-mail: accedi con l'account di %(email)s.")
            % {"email": invitation.email},
            code="wrong_email",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = Invitation.objects.filter(
                pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
            ).update(accepted_at=now, accepted_by=by, updated_at=now)
            if not claimed:
                raise ValidationError(_("Invito non valido, già usato o scaduto."), code="invalid_token")
            membership = Membership.objects.create(team=invitation.team, user=by, role=Membership.Role.MEMBER)
            log_action(invitation.team, action="team.member_joined", actor=by, data={"user": by.pk})
    except IntegrityError:
        raise ValidationError(_("Fai già parte di questo team."), code="already_member") from None
    return membership


def _owners_left_after(team: Team, membership: Membership) -> int:
    """Owners the team keeps if `membership` stops being one (rows locked: two owners stepping
    down at once cannot both pass the check)."""
    owners = list(
        Membership.objects.select_for_update()
        .filter(team=team, role=Membership.Role.OWNER)
        .values_list("pk", flat=True)
    )
    return len([pk for pk in owners if pk != membership.pk])


def _locked_membership(team: Team, user_id: int) -> Membership:
    membership = Membership.objects.select_for_update().filter(team=team, user_id=user_id).first()
    if membership is None:
        raise ValidationError(_("Questa persona non fa parte del team."), code="not_member")
    return membership


def _forbid_ownerless(team: Team, membership: Membership) -> None:
    if membership.role == Membership.Role.OWNER and _owners_left_after(team, membership) < 1:
        raise ValidationError(_("Il team deve avere almeno un responsabile."), code="last_owner")


@transaction.atomic
def member_remove(*, team: Team, by: Any, user_id: int) -> None:
    """Remove a member. The last owner cannot leave the team ownerless."""
    require(by, "team.manage", team)
    membership = _locked_membership(team, user_id)
    _forbid_ownerless(team, membership)
    membership.delete()
    log_action(team, action="team.member_removed", actor=by, data={"user": user_id})


@transaction.atomic
def member_leave(*, team: Team, by: Any) -> None:
    """A member leaves on their own; the last owner must first hand ownership to someone else."""
    if not is_active(by):
        raise ValidationError(_("Accedi per lasciare il team."))
    membership = _locked_membership(team, by.pk)
    _forbid_ownerless(team, membership)
    membership.delete()
    log_action(team, action="team.member_left", actor=by, data={"user": by.pk})


@transaction.atomic
def member_set_role(*, team: Team, by: Any, user_id: int, role: str) -> Membership:
    """Make a member an owner or an owner a member; the last owner cannot step down."""
    require(by, "team.manage", team)
    if role not in Membership.Role.values:
        raise ValidationError(_("Ruolo sconosciuto."), code="invalid_role")
    membership = _locked_membership(team, user_id)
    if membership.role == role:
        return membership
    if role != Membership.Role.OWNER:
        _forbid_ownerless(team, membership)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    log_action(
        team, action="team.member_role_changed", actor=by, data={"user": user_id, "from": old, "to": role}
    )
    return membership


def categories() -> list[tuple[str, str]]:
    return list(AuthorCategory.choices)
