"""People list and revoke their own API tokens; a password change revokes them all (issue 16,
finding 10: there was no page, and tokens survived a password change)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from monitora.accounts.tests.factories import PASSWORD, UserFactory
from monitora.api.models import ApiToken
from monitora.api.services import api_token_create

pytestmark = pytest.mark.django_db
API = "/api/v1/author/reports"


def _works(raw: str) -> bool:
    return Client().get(API, headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_create_list_and_revoke_own_tokens():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    page = client.post("/account/token/", {"name": "script della classe"}).content.decode()
    raw = re.search(r"<code>(mnt_[^<]+)</code>", page).group(1)
    assert _works(raw)
    listing = client.get("/account/token/").content.decode()
    assert "script della classe" in listing and raw not in listing  # the secret is shown once
    token = ApiToken.objects.get(user=user)
    assert client.post(f"/account/token/{token.pk}/revoca/").status_code == 302
    assert not _works(raw)


def test_others_tokens_are_invisible_and_irrevocable():
    owner, other = UserFactory(), UserFactory()
    token, raw = api_token_create(user=owner, name="privato")
    client = Client()
    client.force_login(other)
    assert "privato" not in client.get("/account/token/").content.decode()
    assert client.post(f"/account/token/{token.pk}/revoca/").status_code == 404
    assert _works(raw)


def test_anonymous_is_sent_to_login():
    response = Client().get("/account/token/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_password_change_on_the_site_revokes_every_token():
    user = UserFactory()
    _t1, first = api_token_create(user=user, name="uno")
    _t2, second = api_token_create(user=user, name="due")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/account/password/change/",
        {"oldpassword": PASSWORD, "password1": "Nuova-Password-2026!", "password2": "Nuova-Password-2026!"},
    )
    assert response.status_code == 302
    assert not _works(first) and not _works(second)


def test_any_password_change_revokes_tokens_but_other_saves_do_not():
    user = UserFactory()
    _token, raw = api_token_create(user=user, name="uno")
    user.first_name = "Anna"
    user.save()
    assert _works(raw)
    user = get_user_model().objects.get(pk=user.pk)
    user.set_password("Altra-Password-2026!")  # admin, changepassword, reset: all save this way
    user.save()
    assert not _works(raw)
