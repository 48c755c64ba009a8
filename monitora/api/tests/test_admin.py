import pytest
from django.contrib.messages import get_messages

from monitora.api.models import ApiToken
from monitora.api.services import api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(username="admin", password="pw-admin-1")
    client.force_login(admin)
    return client


def test_admin_creates_a_token_and_shows_it_once(admin_client, django_user_model):
    author = django_user_model.objects.create_user(username="autore", password="pw-a-12345")
    response = admin_client.post(
        "/admin/api/apitoken/add/", {"user": author.pk, "name": "classe"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in get_messages(response.wsgi_request)] or [response.text]
    token = ApiToken.objects.get()
    raw = next(word for text in shown for word in text.split() if word.startswith(f"mnt_{token.prefix}_"))
    assert api_token_authenticate(raw=raw).user == author
    assert raw not in admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").text


def test_admin_revoke_action(admin_client, django_user_model):
    author = django_user_model.objects.create_user(username="autore", password="pw-a-12345")
    token, raw = api_token_create(user=author, name="x")
    response = admin_client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    assert api_token_authenticate(raw=raw) is None
