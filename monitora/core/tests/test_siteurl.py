"""In development the site's own links follow the host and port actually served (`make run
PORT=8123`): e-mails, feed ids, the API and the CSVs. Production keeps SITE_URL."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from monitora.conftest import make_report
from monitora.core.siteurl import site_url
from monitora.opendata.tests.corpus import build_corpus

SERVED = "http://monitora.lan:8123"


@pytest.fixture
def development(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["monitora.lan", "testserver"]


def _get(path: str):
    return Client(HTTP_HOST="monitora.lan:8123").get(path)


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.mark.django_db
def test_feed_api_and_csv_links_follow_the_served_host_and_port(development):
    corpus = build_corpus()
    page = f"{SERVED}/report/{corpus.published.pk}/"
    feed = _body(_get(reverse("opendata:feed_all")))
    assert f"<id>{page}</id>" in feed
    api = _body(_get(f"/api/v1/reports/{corpus.published.pk}"))
    assert page in api and "127.0.0.1:8000" not in api
    for name in ("reports.csv", "reports-semicolon.csv", "reports.json"):
        body = _body(_get(reverse("opendata:download", args=[name])))
        assert page in body and "127.0.0.1:8000" not in body, name
    assert site_url() == "http://127.0.0.1:8000"  # outside a request: SITE_URL


@pytest.mark.django_db(transaction=True)
def test_emails_sent_during_a_request_link_to_the_served_host(development, roles):
    # A transactional test may start after another one flushed the rows migrations loaded.
    call_command("sync_questionnaires", stdout=io.StringIO())
    report = make_report(roles.team, status="submitted")
    client = Client(HTTP_HOST="monitora.lan:8123")
    client.force_login(roles.editor)
    mail.outbox.clear()
    client.post(
        reverse("moderation:act", args=[report.pk]),
        {"action": "start_review", "note": "", "lock_version": report.lock_version},
    )
    [message] = mail.outbox
    assert f"{SERVED}/report/{report.pk}/stato/" in message.body


@pytest.mark.django_db
def test_production_keeps_site_url_whatever_the_host(settings):
    settings.SITE_URL = "https://monitora.example.org"
    settings.SITE_URL_FROM_REQUEST = False
    settings.ALLOWED_HOSTS = ["monitora.lan"]
    corpus = build_corpus()
    feed = _body(Client(HTTP_HOST="monitora.lan:8123").get(reverse("opendata:feed_all")))
    assert f"<id>https://monitora.example.org/report/{corpus.published.pk}/</id>" in feed
    assert "monitora.lan:8123/report/" not in feed
