import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from monitora.accounts.tests.factories import UserFactory
from monitora.core.models import AuditLog
from monitora.teams import services
from monitora.teams.models import Invitation, Membership

pytestmark = pytest.mark.django_db


def _token_from_mail() -> str:
    return re.search(r"/team/invito/([\w-]+)/", mail.outbox[-1].body).group(1)


def test_create_team_makes_the_creator_owner(roles):
    team = services.team_create(by=roles.registered, name="Classe 5B", category="asoc_secondary")
    assert Membership.objects.get(team=team, user=roles.registered).role == "owner"
    assert team.slug == "classe-5b"
    assert (
        services.team_create(by=roles.registered, name="Classe 5B", category="citizen").slug == "classe-5b-2"
    )


def test_invite_accept_once(roles, django_capture_on_commit_callbacks):
    invitee = UserFactory(email="nuova@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            team=roles.team, by=roles.owner, email="Nuova@Example.org"
        )
    assert _token_from_mail() == token and token not in invitation.token_hash
    client = Client()
    client.force_login(invitee)
    assert client.get(f"/team/invito/{token}/").status_code == 200
    assert not Membership.objects.filter(user=invitee).exists()  # GET never joins
    client.post(f"/team/invito/{token}/")
    assert Membership.objects.get(user=invitee, team=roles.team).role == "member"
    assert AuditLog.objects.filter(action="team.member_joined").exists()
    with pytest.raises(ValidationError, match="già usato o scaduto"):
        services.invitation_accept(token=token, by=invitee)


def test_invitation_for_another_address_or_expired_is_refused(roles):
    _inv, token = services.invitation_create(team=roles.team, by=roles.owner, email="x@example.org")
    with pytest.raises(ValidationError, match="altro indirizzo"):
        services.invitation_accept(token=token, by=roles.registered)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="scaduto"):
        services.invitation_accept(token=token, by=UserFactory(email="x@example.org"))
    with pytest.raises(ValidationError, match="scaduto"):
        services.invitation_accept(token="forged-token", by=roles.registered)


def test_only_owners_invite_and_remove(roles):
    with pytest.raises(PermissionDenied):
        services.invitation_create(team=roles.team, by=roles.member, email="a@example.org")
    with pytest.raises(PermissionDenied):
        services.member_remove(team=roles.team, by=roles.other, user_id=roles.member.pk)
    services.member_remove(team=roles.team, by=roles.owner, user_id=roles.member.pk)
    assert not Membership.objects.filter(user=roles.member).exists()
    assert AuditLog.objects.filter(action="team.member_removed", data__user=roles.member.pk).exists()
    with pytest.raises(ValidationError, match="almeno un responsabile"):
        services.member_remove(team=roles.team, by=roles.owner, user_id=roles.owner.pk)


def test_removed_member_loses_access_to_drafts(roles):
    from monitora.conftest import make_report

    draft = make_report(roles.team)
    client = Client()
    client.force_login(roles.member)
    assert client.get(f"/report/{draft.pk}/stato/").status_code == 200
    services.member_remove(team=roles.team, by=roles.owner, user_id=roles.member.pk)
    assert client.get(f"/report/{draft.pk}/stato/").status_code == 404
