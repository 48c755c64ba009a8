"""The one throttle (monitora.core.throttle): scopes from settings, counters in the cache, 429 with
Retry-After on every throttled channel (the traffic-spike issue, point 3; issue 16, finding 6)."""

import pytest
from django.core.cache import cache
from django.test import Client

from monitora.accounts.tests.factories import MembershipFactory
from monitora.teams.models import Membership

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def small_limits(settings):
    # Daily windows: a minute window could roll over in the middle of a test (fixed windows).
    settings.THROTTLES = {scope: f"{LIMIT}/d" for scope in settings.THROTTLES}
    cache.clear()
    yield
    cache.clear()


# (scope, method, url): the throttle runs before the view, so a 404 counts like any other answer.
CHANNELS = [
    ("api", "get", "/api/v1/projects"),
    ("api", "get", "/api/v1/reports/999999"),
    ("pdf", "get", "/report/999999/pdf/"),
    ("opendata", "get", "/open-data/datapackage.json"),
    ("opendata", "get", "/open-data/nessuno.csv"),
    ("opendata", "get", "/feeds/report/"),
    ("search", "get", "/cerca/"),
    ("search", "get", "/cerca/mappa.geojson"),
    ("search", "get", "/cerca/regioni.geojson"),
    ("search", "get", "/progetti/cerca/?q=strada"),
    ("search", "get", "/statistiche/"),
]


@pytest.mark.parametrize(("scope", "method", "url"), CHANNELS)
def test_every_channel_answers_429_with_retry_after(scope, method, url):
    client = Client(REMOTE_ADDR="10.20.0.1")
    for _ in range(LIMIT):
        assert getattr(client, method)(url).status_code != 429
    response = getattr(client, method)(url)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 86400
    if url.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json")
        assert "Troppe richieste" in response.json()["detail"]
    # Another client is not affected.
    assert getattr(Client(REMOTE_ADDR="10.20.0.2"), method)(url).status_code != 429


def test_counters_live_in_the_shared_cache():
    """Several app servers see one count only because it is in the Django cache: clearing it is
    the only thing that resets the limit (a per-process counter would not notice)."""
    client = Client(REMOTE_ADDR="10.21.0.1")
    for _ in range(LIMIT + 1):
        response = client.get("/cerca/")
    assert response.status_code == 429
    assert any(key.startswith(":1:throttle:") for key in cache._cache)  # locmem's store
    cache.clear()
    assert client.get("/cerca/").status_code == 200


def test_limits_come_from_settings(settings):
    settings.THROTTLES = {**settings.THROTTLES, "search": "1/d"}
    client = Client(REMOTE_ADDR="10.22.0.1")
    assert client.get("/cerca/").status_code == 200
    assert client.get("/cerca/").status_code == 429


def test_every_rate_of_a_scope_counts(settings):
    settings.THROTTLES = {**settings.THROTTLES, "search": "100/d,2/h"}
    client = Client(REMOTE_ADDR="10.23.0.1")
    assert [client.get("/cerca/").status_code for _ in range(3)] == [200, 200, 429]
    assert 1 <= int(client.get("/cerca/")["Retry-After"]) <= 3600  # the hourly window


def _invite(client, team, n):
    return client.post(f"/team/{team.slug}/invita/", {"email": f"persona{n}@example.org"})


def test_invitations_are_limited_per_person(roles, django_capture_on_commit_callbacks):
    """Finding 6: 6 invitations in 1.1 s to any address. Now the inviter is limited..."""
    from django.core import mail

    client = Client()
    client.force_login(roles.owner)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_invite(client, roles.team, n).status_code for n in range(LIMIT + 2)]
    assert statuses == [302] * LIMIT + [429, 429]
    assert len(mail.outbox) == LIMIT


def test_invitations_are_limited_per_team(roles, settings):
    """... and so is the team, whoever of its owners sends them."""
    settings.THROTTLES = {**settings.THROTTLES, "invite_user": "100/d"}
    second_owner = MembershipFactory(team=roles.team, role=Membership.Role.OWNER).user
    first, second = Client(), Client()
    first.force_login(roles.owner)
    second.force_login(second_owner)
    for n in range(LIMIT):
        assert _invite(first, roles.team, n).status_code == 302
    assert _invite(second, roles.team, 99).status_code == 429


def test_invitation_subject_holds_no_team_name(roles, django_capture_on_commit_callbacks):
    from django.core import mail

    roles.team.name = "Vinci un iPhone http://evil.example"
    roles.team.save()
    client = Client()
    client.force_login(roles.owner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, roles.team, 1)
    message = mail.outbox[-1]
    assert "iPhone" not in message.subject and "evil" not in message.subject
    assert "«Vinci un iPhone http://evil.example»" in message.body
    assert "scelto da chi lo ha creato" in message.body


@pytest.mark.parametrize("action", ["revisione", "risposta"])
def test_forms_that_send_email_are_limited_per_user(roles, action):
    from monitora.conftest import make_report

    report = make_report(roles.team, status="published")
    user = roles.member
    if action == "risposta":  # only a verified representative of an administration may respond
        from django.utils import timezone

        from monitora.accounts.models import Profile

        user = roles.registered
        Profile.objects.update_or_create(
            user=user,
            defaults={"administration_name": "Comune", "representative_verified_at": timezone.now()},
        )
    client = Client()
    client.force_login(user)
    statuses = [client.post(f"/report/{report.pk}/{action}/", {}).status_code for _ in range(LIMIT + 1)]
    assert 429 not in statuses[:LIMIT] and statuses[LIMIT] == 429
