"""Every API error is the documented JSON error, in every setting (issue 16, finding 8): a
multipart body without a boundary was a 500 with a traceback under DEBUG, an HTML 400 otherwise."""

import pytest
from django.test import Client

from monitora.accounts.tests.factories import UserFactory
from monitora.api import public
from monitora.api.services import api_token_create

pytestmark = pytest.mark.django_db

BODIES = [
    ("multipart/form-data", b"--x\r\nnonsense"),
    ("multipart/form-data; boundary=", b"--\r\n"),
    ("multipart/form-data; boundary=abc", b"not multipart at all"),
    ("application/json", b"{not json"),
    ("application/x-www-form-urlencoded", b"%zz=%zz"),
]


def _is_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and isinstance(body["errors"], list)
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(("content_type", "body"), BODIES)
@pytest.mark.parametrize(
    "path", ["/api/v1/author/reports/1/attachments", "/api/v1/author/reports", "/api/v1/author/reports/1"]
)
def test_unreadable_bodies_are_json_400(settings, debug, content_type, body, path):
    settings.DEBUG = debug
    _token, raw = api_token_create(user=UserFactory(), name="t")
    method = "PATCH" if path.endswith("/1") else "POST"
    response = Client(raise_request_exception=False).generic(
        method, path, body, content_type=content_type, headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code in (400, 404)
    _is_json_error(response, response.status_code)


@pytest.mark.parametrize("debug", [True, False])
def test_an_unexpected_error_is_a_json_500_without_traceback(settings, monkeypatch, debug, caplog):
    settings.DEBUG = debug

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(public, "reject_unknown_params", broken)
    response = Client(raise_request_exception=False).get("/api/v1/territories")
    _is_json_error(response, 500)
    assert "secret internals" not in response.content.decode()
    assert "secret internals" in caplog.text
