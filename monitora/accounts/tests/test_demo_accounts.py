import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

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
