import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from monitora.accounts.management.commands.create_demo_accounts import demo_password

pytestmark = pytest.mark.django_db


def test_demo_accounts_only_with_debug(settings):
    settings.DEBUG = False
    call_command("create_demo_accounts")
    assert not get_user_model().objects.exists()


def test_demo_accounts_are_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")
    users = get_user_model().objects.filter(email__endswith="@example.org")
    assert users.count() == 2 and users.get(is_staff=True).email == "redazione@example.org"
    assert "esiste già" in capsys.readouterr().out


def test_every_run_prints_the_accounts_and_passwords_that_work(settings, capsys, client):
    """`make run` ends with this banner every time, not only the first."""
    settings.DEBUG = True
    call_command("create_demo_accounts")
    capsys.readouterr()
    call_command("create_demo_accounts", "--banner", "--url", "http://127.0.0.1:8001/")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8001/" in out
    for email in ("redazione@example.org", "autore@example.org"):
        password = demo_password(email)
        assert f"{email}" in out and f"password {password}" in out
        assert client.login(username=email, password=password)
    assert "--reset-passwords" in out


def test_reset_puts_back_a_changed_password(settings, capsys, client):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    author = get_user_model().objects.get(email="autore@example.org")
    author.set_password("dimenticata-123")
    author.save()
    call_command("create_demo_accounts", "--banner")
    assert "cambiata da te" in capsys.readouterr().out
    call_command("create_demo_accounts", "--reset-passwords")
    out = capsys.readouterr().out
    assert "autore@example.org: password reimpostata" in out
    assert client.login(username="autore@example.org", password=demo_password("autore@example.org"))
