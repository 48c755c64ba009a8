"""The team membership lifecycle over HTTP, role by role (issue 16, finding 1).

Removing a member used to answer 500 to everyone (`get_team()` got the `user_id` of the URL), so
the last-owner rule was never reached from a page. Each test goes through the real URLs, the
permission layer and the services, and checks the database afterwards.
"""

import re

import pytest
from django.core import mail
from django.test import Client

from monitora.accounts.tests.factories import MembershipFactory, UserFactory
from monitora.core.models import AuditLog
from monitora.teams.models import Membership

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "registered", "member", "owner", "other", "editor", "admin")


def _client(roles, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(roles, role))
    return client


def _role_of(team, user) -> str | None:
    return Membership.objects.filter(team=team, user=user).values_list("role", flat=True).first()


# Who sees what when acting on someone else's membership in team A: hidden teams are 404, visible
# but not manageable 403, owners and administrators succeed (302 back to the team page).
MANAGE_STATUS = {
    "anonymous": 404,
    "registered": 404,
    "other": 404,
    "member": 403,
    "editor": 403,
    "owner": 302,
    "admin": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_remove_member_matrix(roles, role):
    target = MembershipFactory(team=roles.team).user
    response = _client(roles, role).post(f"/team/{roles.team.slug}/rimuovi/{target.pk}/")
    assert response.status_code == MANAGE_STATUS[role]
    removed = _role_of(roles.team, target) is None
    assert removed == (MANAGE_STATUS[role] == 302)
    if removed:
        assert AuditLog.objects.filter(action="team.member_removed").exists()


@pytest.mark.parametrize("role", ROLES)
def test_change_role_matrix(roles, role):
    target = MembershipFactory(team=roles.team).user
    response = _client(roles, role).post(f"/team/{roles.team.slug}/ruolo/{target.pk}/", {"role": "owner"})
    assert response.status_code == MANAGE_STATUS[role]
    assert (_role_of(roles.team, target) == "owner") == (MANAGE_STATUS[role] == 302)


@pytest.mark.parametrize("role", ROLES)
def test_invite_matrix(roles, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(roles, role).post(f"/team/{roles.team.slug}/invita/", {"email": "x@example.org"})
    assert response.status_code == MANAGE_STATUS[role]
    assert len(mail.outbox) == (1 if MANAGE_STATUS[role] == 302 else 0)


@pytest.mark.parametrize("role", ["anonymous", "registered", "other", "member"])
def test_leave_matrix(roles, role):
    response = _client(roles, role).post(f"/team/{roles.team.slug}/lascia/")
    if role == "member":
        assert response.status_code == 302 and _role_of(roles.team, roles.member) is None
    else:
        assert response.status_code == 404
        assert _role_of(roles.team, roles.member) == "member"


def test_editor_who_is_not_a_member_cannot_leave(roles):
    response = _client(roles, "editor").post(f"/team/{roles.team.slug}/lascia/", follow=True)
    assert "non fa parte del team" in response.content.decode()


def test_whole_lifecycle_and_last_owner(roles, django_capture_on_commit_callbacks):
    owner, team = _client(roles, "owner"), roles.team
    newcomer = UserFactory(email="nuova@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post(f"/team/{team.slug}/invita/", {"email": "nuova@example.org"}).status_code == 302
    token = re.search(r"/team/invito/([\w-]+)/", mail.outbox[-1].body).group(1)
    joiner = Client()
    joiner.force_login(newcomer)
    assert joiner.get(f"/team/invito/{token}/").status_code == 200
    assert _role_of(team, newcomer) is None  # a GET (link preview) joins nobody
    assert joiner.post(f"/team/invito/{token}/").status_code == 302
    assert _role_of(team, newcomer) == "member"
    assert joiner.post(f"/team/invito/{token}/").status_code == 404  # single use

    # Promote, then the original owner steps down and leaves: the newcomer is the last owner.
    assert owner.post(f"/team/{team.slug}/ruolo/{newcomer.pk}/", {"role": "owner"}).status_code == 302
    assert _role_of(team, newcomer) == "owner"
    assert owner.post(f"/team/{team.slug}/lascia/").status_code == 302
    assert _role_of(team, roles.owner) is None

    # The last owner can neither leave, nor step down, nor be removed by an administrator.
    page = joiner.post(f"/team/{team.slug}/lascia/", follow=True).content.decode()
    assert "almeno un responsabile" in page and _role_of(team, newcomer) == "owner"
    joiner.post(f"/team/{team.slug}/ruolo/{newcomer.pk}/", {"role": "member"})
    assert _role_of(team, newcomer) == "owner"
    _client(roles, "admin").post(f"/team/{team.slug}/rimuovi/{newcomer.pk}/")
    assert _role_of(team, newcomer) == "owner"

    # The owner removes the remaining member; an unknown user id is a message, not a 500.
    assert joiner.post(f"/team/{team.slug}/rimuovi/{roles.member.pk}/").status_code == 302
    assert _role_of(team, roles.member) is None
    page = joiner.post(f"/team/{team.slug}/rimuovi/999999/", follow=True).content.decode()
    assert "non fa parte del team" in page
    actions = set(AuditLog.objects.values_list("action", flat=True))
    lifecycle = {"team.member_joined", "team.member_role_changed", "team.member_left", "team.member_removed"}
    assert lifecycle <= actions


def test_unknown_role_is_refused(roles):
    page = _client(roles, "owner").post(
        f"/team/{roles.team.slug}/ruolo/{roles.member.pk}/", {"role": "admin"}, follow=True
    )
    assert "Ruolo sconosciuto" in page.content.decode()
    assert _role_of(roles.team, roles.member) == "member"
