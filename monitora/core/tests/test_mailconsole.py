"""The development console prints e-mail as written: the sign-up confirmation link, copied from the
terminal, is whole and works (no quoted-printable `=` wrapping, accents as they are)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.test import Client

from monitora.accounts.tests.factories import PASSWORD

CONSOLE = {"default": {"BACKEND": "monitora.core.mailconsole.EmailBackend"}}


@pytest.fixture
def console(settings):
    settings.MAILERS = CONSOLE


def test_long_lines_and_accents_are_printed_as_written(console, capsys):
    url = "http://127.0.0.1:8001/account/confirm-email/" + "x" * 120 + "/"
    send_mail("Conferma è", f"Perché confermare:\n\n{url}\n", "a@example.org", ["b@example.org"])
    out = capsys.readouterr().out
    assert "Subject: Conferma è" in out and "Perché confermare:" in out
    assert f"\n{url}\n" in out and "=\n" not in out and "=C3" not in out


@pytest.mark.django_db
def test_the_confirmation_link_copied_from_the_console_confirms_the_address(console, capsys):
    client = Client()
    response = client.post(
        "/account/signup/",
        {
            "email": "anna@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "author_category": "asoc_secondary",
            "privacy": "on",
        },
    )
    assert response.status_code == 302
    out = capsys.readouterr().out
    link = re.search(r"https?://\S+/account/confirm-email/\S+/$", out, re.M).group(0)
    assert "=" not in link
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200
    client.post(path)
    user = get_user_model().objects.get(email="anna@example.org")
    assert EmailAddress.objects.get(user=user).verified
