"""Operations: the health endpoint, the request log with its request id, Sentry without personal
data, and the cookie and log settings of production."""

import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sentry_sdk
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from sentry_sdk.transport import Transport

from config.settings.observability import logging_config
from monitora.core.observability import sentry_init

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    return response.status_code, response.json()


def test_health_checks_database_cache_and_both_storages(client):
    status, body = _health(client)
    assert status == 200
    assert sorted(body) == [
        "Cache(alias='default')",
        "Database(alias='default')",
        "Storage(alias='attachments')",
        "Storage(alias='default')",
    ]
    assert set(body.values()) == {"OK"}
    assert client.get("/health/").status_code == 200  # the HTML page, for a person


def test_health_fails_when_the_cache_is_unreachable(client):
    # A port where nothing listens: the Redis client fails to connect.
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    with override_settings(CACHES=unreachable):
        status, body = _health(client)
    assert status == 500
    assert body["Cache(alias='default')"] != "OK"
    assert body["Database(alias='default')"] == "OK"


def test_health_fails_when_a_storage_cannot_be_written(client, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    broken = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(blocker / "files")},
    }
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "attachments": broken}):
        status, body = _health(client)
    assert status == 500
    assert body["Storage(alias='attachments')"] != "OK"
    assert body["Storage(alias='default')"] == "OK"


def test_request_id_is_taken_from_the_proxy_or_made_and_always_echoed(client):
    assert client.get("/", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == "proxy-1234abcd"
    made = client.get("/")["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/")["X-Request-ID"]
    # Spaces, quotes or a log-forging newline are not an id: a fresh one replaces them.
    forged = client.get("/", HTTP_X_REQUEST_ID='x" \n INFO fake line')["X-Request-ID"]
    assert len(forged) == 32 and " " not in forged


def test_request_log_has_request_id_user_id_and_timing_but_never_the_email(client, caplog, editor):
    client.force_login(editor)
    with caplog.at_level(logging.INFO, logger="monitora.request"):
        client.get("/", HTTP_X_REQUEST_ID="trace-abcdef12")
    record = next(r for r in caplog.records if r.name == "monitora.request")
    assert record.request_id == "trace-abcdef12"
    assert record.user_id == editor.pk
    assert record.status == 200 and record.method == "GET" and record.path == "/"
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    config = logging_config(fmt="json", level="INFO", request_level="INFO")
    formatter = logging.config.DictConfigurator(config).configure_formatter(config["formatters"]["json"])
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "trace-abcdef12" and line["user_id"] == editor.pk
    assert line["level"] == "INFO" and line["logger"] == "monitora.request" and "duration_ms" in line
    assert editor.email not in json.dumps(line)


def test_anonymous_requests_are_logged_without_a_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="monitora.request"):
        client.get("/")
    record = next(r for r in caplog.records if r.name == "monitora.request")
    assert record.user_id is None


def test_other_log_lines_of_a_request_carry_its_request_id(client, caplog):
    from monitora.core.requestlog import RequestIdFilter

    def noisy(request):
        logging.getLogger("monitora.test").warning("something odd")
        return HttpResponse("ok")

    urlconf = type("Urls", (), {"urlpatterns": [path("noisy/", noisy)]})
    with override_settings(ROOT_URLCONF=urlconf), caplog.at_level(logging.INFO):
        caplog.handler.addFilter(RequestIdFilter())
        client.get("/noisy/", HTTP_X_REQUEST_ID="trace-noisy-1")
    odd = next(r for r in caplog.records if r.getMessage() == "something odd")
    assert odd.request_id == "trace-noisy-1"


class _Captured(Transport):
    """Keeps the envelopes Sentry would send, instead of sending them."""

    def __init__(self, options=None):
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.events.append(item.payload.json)


def test_sentry_reports_errors_without_personal_data(client, editor):
    def broken(request):
        raise RuntimeError("boom")

    urlconf = type("Urls", (), {"urlpatterns": [path("broken/", broken)]})
    transport = _Captured()
    dsn = "https://public@sentry.invalid/1"
    sentry_init(dsn=dsn, environment="test", traces_sample_rate=0.0, transport=transport)
    try:
        options = sentry_sdk.get_client().options
        assert not options["send_default_pii"]
        collection = options["data_collection"]  # derived from send_default_pii=False
        assert collection["provided_by_user"] is False and collection["user_info"] is False
        client.force_login(editor)
        client.raise_request_exception = False
        with override_settings(ROOT_URLCONF=urlconf):
            response = client.get("/broken/", HTTP_X_REQUEST_ID="trace-sentry-1", HTTP_COOKIE="secret=1")
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # back to a client without a DSN: nothing is sent by later tests
    assert response.status_code == 500
    assert len(transport.events) == 1
    event = transport.events[0]
    assert event["exception"]["values"][0]["value"] == "boom"
    assert event["tags"]["request_id"] == "trace-sentry-1"
    text = json.dumps(event)
    assert editor.email not in text
    assert "sessionid" not in text and "secret=1" not in text
    assert set(event.get("user", {})) <= {"id"}


def test_production_cookies_are_secure_httponly_samesite_and_logs_are_json():
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE',"
        "'CSRF_COOKIE_SECURE','CSRF_COOKIE_HTTPONLY','CSRF_COOKIE_SAMESITE',"
        "'LANGUAGE_COOKIE_SECURE','LANGUAGE_COOKIE_HTTPONLY','LANGUAGE_COOKIE_SAMESITE')} | "
        "{'formatter': s.LOGGING['handlers']['console']['formatter'], 'csp': bool(s.SECURE_CSP)}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "SENTRY_DSN")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "x" * 50}
    env |= {"CACHE_URL": "redis://127.0.0.1:6379/14"}  # production refuses a per-process cache
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    values = json.loads(out.stdout)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SAMESITE": "Lax",
        "formatter": "json",
        "csp": True,
    }


def test_sentry_is_switched_on_by_sentry_dsn_alone():
    code = (
        "import json, django, sentry_sdk; django.setup(); c = sentry_sdk.get_client(); "
        "print(json.dumps({'active': c.is_active(), 'dsn': c.options['dsn'], "
        "'pii': bool(c.options['send_default_pii'])}))"
    )
    base = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}
    base |= {"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "x" * 50}
    base |= {"CACHE_URL": "redis://127.0.0.1:6379/14"}  # production refuses a per-process cache
    runs = {}
    for dsn in ("", "https://public@sentry.invalid/1"):
        env = base | ({"SENTRY_DSN": dsn} if dsn else {})
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        runs[dsn] = json.loads(out.stdout)
    assert runs[""]["active"] is False
    assert runs["https://public@sentry.invalid/1"] == {
        "active": True,
        "dsn": "https://public@sentry.invalid/1",
        "pii": False,
    }
