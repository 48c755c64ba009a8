"""Every way to log in shares one limit (issue 16, finding 2): the admin login used to accept any
number of wrong passwords (12 in 7.5 s, then the right one logged in)."""

import pytest
from django.test import Client

from monitora.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _admin_login(client, login, password, ip):
    return client.post(
        "/admin/login/?next=/admin/", {"username": login, "password": password}, REMOTE_ADDR=ip
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_admin_login_is_throttled_per_account():
    staff = UserFactory(is_staff=True, is_superuser=True)
    for i in range(12):
        _admin_login(Client(), staff.email, "wrong", ip=f"10.3.0.{i}")
    client = Client()
    _admin_login(client, staff.email, PASSWORD, ip="10.3.1.1")
    assert not _logged_in(client)


def test_admin_login_by_username_counts_on_the_same_account():
    staff = UserFactory(is_staff=True)
    for i in range(6):
        _admin_login(Client(), staff.username, "wrong", ip=f"10.4.0.{i}")
    client = Client()
    _admin_login(client, staff.email, PASSWORD, ip="10.4.1.1")
    assert not _logged_in(client)


def test_site_and_admin_login_share_the_count():
    staff = UserFactory(is_staff=True)
    for i in range(3):
        Client().post("/account/login/", {"login": staff.email, "password": "x"}, REMOTE_ADDR=f"10.5.0.{i}")
    for i in range(3):
        _admin_login(Client(), staff.email, "wrong", ip=f"10.5.1.{i}")
    client = Client()
    _admin_login(client, staff.email, PASSWORD, ip="10.5.2.1")
    assert not _logged_in(client)


def test_admin_login_per_address_limit():
    users = [UserFactory(is_staff=True) for _ in range(11)]
    for user in users[:10]:
        _admin_login(Client(), user.email, "wrong", ip="10.6.6.6")
    client = Client()
    _admin_login(client, users[10].email, PASSWORD, ip="10.6.6.6")
    assert not _logged_in(client)


def test_admin_login_still_works():
    staff = UserFactory(is_staff=True)
    client = Client()
    response = _admin_login(client, staff.email, PASSWORD, ip="10.7.0.1")
    assert response.status_code == 302 and _logged_in(client)
    assert client.get("/admin/").status_code == 200
    by_username = Client()
    _admin_login(by_username, staff.username, PASSWORD, ip="10.7.0.2")
    assert _logged_in(by_username)


def test_non_staff_cannot_use_the_admin_login():
    user = UserFactory()
    client = Client()
    _admin_login(client, user.email, PASSWORD, ip="10.7.0.3")
    assert not _logged_in(client)
