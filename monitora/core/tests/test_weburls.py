"""One web-address validator for every entry point (issue 16, finding 5): the guided form and the
API accepted `https://www.google.com@evil.example/login`, the attachments panel refused it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from monitora.api.services import api_token_create
from monitora.conftest import make_report
from monitora.core.weburls import clean_web_url
from monitora.imports.legacy.columns import NotAUrl, to_url
from monitora.teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https://www.google.com@evil.example/login",
    "https://user:pw@evil.example/",
    "http://:pw@evil.example/",
    "https://@evil.example/",
    "javascript:alert(1)",
    "ftp://files.example/x",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_validator_refuses(url):
    with pytest.raises(ValidationError):
        clean_web_url(url)


def test_validator_keeps_ordinary_links():
    url = "https://opencoesione.gov.it/it/progetti/1?x=a@b"
    assert clean_web_url(f"  {url} ") == url  # an @ in the query is not a credential


@pytest.mark.parametrize("url", HOSTILE[:3])
def test_guided_form_refuses(roles, url):
    report = make_report(roles.team)
    client = Client()
    client.force_login(roles.member)
    payload = {"lock_version": report.lock_version, "passo": 2, "links_source": url}
    response = client.post(f"/report/{report.pk}/modifica/?passo=2", payload)
    assert response.status_code == 400
    assert not report.links.exists()


@pytest.mark.parametrize("url", HOSTILE[:3])
def test_api_refuses(roles, url):
    report = make_report(roles.team)
    _token, raw = api_token_create(user=roles.member, name="t")
    response = Client().patch(
        f"/api/v1/author/reports/{report.pk}",
        {"links": {"source": [url]}, "lock_version": report.lock_version},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 400, response.content
    assert "links_source" in response.json()["detail"]
    assert not report.links.exists()


@pytest.mark.parametrize("url", HOSTILE[:3])
def test_attachments_panel_refuses(roles, url):
    report = make_report(roles.team)
    client = Client()
    client.force_login(roles.member)
    client.post(f"/allegati/report/{report.pk}/link/", {"kind": "source", "url": url})
    assert not report.links.exists()


@pytest.mark.parametrize("url", HOSTILE[:3])
def test_team_pages_and_archive_import_refuse(url):
    team = TeamFactory.build(website=url)
    with pytest.raises(ValidationError) as error:
        team.full_clean(exclude=["slug", "name"])
    assert "website" in error.value.message_dict
    with pytest.raises(NotAUrl):
        to_url(url)
