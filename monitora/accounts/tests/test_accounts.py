import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from monitora.accounts.models import Profile
from monitora.accounts.tests.factories import PASSWORD, UserFactory
from monitora.conftest import make_report
from monitora.reports.models import Report
from monitora.teams.models import Invitation

pytestmark = pytest.mark.django_db
User = get_user_model()


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _login(client, email, password, ip="10.0.0.1", **extra):
    return client.post("/account/login/", {"login": email, "password": password}, REMOTE_ADDR=ip, **extra)


def test_signup_requires_email_confirmation(client):
    resp = client.post(
        "/account/signup/",
        {
            "email": "anna@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "author_category": "asoc_secondary",
            "privacy": "on",
        },
    )
    assert resp.status_code == 302 and not _logged_in(client)
    user = User.objects.get(email="anna@example.org")
    assert user.profile.author_category == "asoc_secondary"
    assert not EmailAddress.objects.get(user=user).verified
    # Unconfirmed: login does not open a session.
    _login(client, "anna@example.org", PASSWORD)
    assert not _logged_in(client)
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # GET only shows the confirmation page
    assert not EmailAddress.objects.get(user=user).verified
    client.post("/" + path)
    assert EmailAddress.objects.get(user=user).verified
    _login(client, "anna@example.org", PASSWORD)
    assert _logged_in(client)


def test_signup_needs_privacy_consent_and_ignores_forged_staff_flags(client):
    client.post(
        "/account/signup/",
        {
            "email": "b@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "author_category": "citizen",
        },
    )
    assert not User.objects.filter(email="b@example.org").exists()
    client.post(
        "/account/signup/",
        {
            "email": "c@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "author_category": "citizen",
            "privacy": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "role": "editor",
        },
    )
    user = User.objects.get(email="c@example.org")
    assert not user.is_staff and not user.is_superuser


def test_failed_logins_are_throttled_per_account():
    user = UserFactory()
    for i in range(5):
        _login(Client(), user.email, "wrong", ip=f"10.0.1.{i}")
    # Right password, new IP: the account is still locked for a while.
    client = Client()
    resp = _login(client, user.email, PASSWORD, ip="10.0.2.1")
    assert not _logged_in(client)
    assert resp.status_code in (200, 429)
    other = UserFactory()
    ok = Client()
    _login(ok, other.email, PASSWORD, ip="10.0.2.1")
    assert _logged_in(ok)


def test_failed_logins_are_throttled_per_ip():
    users = [UserFactory() for _ in range(11)]
    for user in users[:10]:
        _login(Client(), user.email, "wrong", ip="10.9.9.9")
    client = Client()
    _login(client, users[10].email, PASSWORD, ip="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert not _logged_in(client)  # a forged X-Forwarded-For does not reset the count
    elsewhere = Client()
    _login(elsewhere, users[10].email, PASSWORD, ip="10.8.8.8")
    assert _logged_in(elsewhere)


def test_password_reset_is_throttled_per_account_and_ip():
    user = UserFactory()
    for i in range(8):
        Client().post("/account/password/reset/", {"email": user.email}, REMOTE_ADDR=f"10.1.0.{i}")
    sent = [m for m in mail.outbox if user.email in m.to]
    assert 1 <= len(sent) <= 5
    mail.outbox.clear()
    for i in range(25):
        Client().post("/account/password/reset/", {"email": f"x{i}@example.org"}, REMOTE_ADDR="10.1.1.1")
    resp = Client().post("/account/password/reset/", {"email": user.email}, REMOTE_ADDR="10.1.1.1")
    assert resp.status_code == 429
    assert not [m for m in mail.outbox if user.email in m.to]


def test_password_reset_link_works_once():
    user = UserFactory()
    client = Client()
    client.post("/account/password/reset/", {"email": user.email})
    link = re.search(r"https?://\S+/account/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form_url = client.get(path).url  # allauth moves the key into the session
    new = "Nuova-password-2026!"
    client.post(form_url, {"password1": new, "password2": new})
    user.refresh_from_db()
    assert user.check_password(new)
    again = Client().get(path, follow=True)
    assert b"password1" not in again.content  # the key is spent


def test_profile_handle_is_validated_and_unique(client):
    user, taken = UserFactory(), UserFactory()
    Profile.objects.create(user=taken, handle="scuola_verdi")
    client.force_login(user)
    resp = client.post(
        "/account/profilo/", {"author_category": "university", "display_name": "Anna", "handle": "<b>x"}
    )
    assert resp.status_code == 200 and not Profile.objects.filter(user=user, handle="<b>x").exists()
    client.post(
        "/account/profilo/",
        {"author_category": "university", "display_name": "Anna", "handle": "scuola_verdi"},
    )
    assert Profile.objects.filter(handle="scuola_verdi").count() == 1
    client.post(
        "/account/profilo/", {"author_category": "university", "display_name": "Anna", "handle": "anna_r"}
    )
    assert Profile.objects.get(user=user).handle == "anna_r"


def test_download_my_data(roles, client):
    make_report(roles.team, created_by=roles.member, title="Il mio report")
    client.force_login(roles.member)
    resp = client.get("/account/dati/")
    assert resp["Content-Disposition"].startswith("attachment") and resp["Cache-Control"] == "no-store"
    data = json.loads(resp.content)
    assert data["account"]["email"] == roles.member.email
    assert data["teams"] == [{"team": "Team A", "role": "member", "since": data["teams"][0]["since"]}]
    assert data["reports_created"][0]["title"] == "Il mio report"
    assert Client().get("/account/dati/").status_code == 302


def test_delete_account_keeps_published_reports_with_the_team(roles, client):
    published = make_report(roles.team, status="published", created_by=roles.member)
    email = roles.member.email
    client.force_login(roles.member)
    assert client.post("/account/elimina/", {"confirm": "no"}).status_code == 200
    assert User.objects.filter(email=email).exists()
    from monitora.teams.services import invitation_create

    invitation_create(team=roles.other_team, by=roles.other, email=email)
    client.post("/account/elimina/", {"confirm": "ELIMINA"})
    assert not User.objects.filter(email=email).exists()
    assert not Invitation.objects.filter(email=email).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    report = Report.objects.get(pk=published.pk)
    assert report.team == roles.team and report.created_by is None and report.status == "published"
    assert not _logged_in(client)


def test_sole_owner_with_members_cannot_delete_account(roles, client):
    client.force_login(roles.owner)
    resp = client.post("/account/elimina/", {"confirm": "ELIMINA"}, follow=True)
    assert "unico responsabile" in resp.content.decode()
    assert User.objects.filter(pk=roles.owner.pk).exists()
