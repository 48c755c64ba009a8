import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitora.api.services import api_token_create
from monitora.attachments.models import Attachment
from monitora.attachments.tests.files import jpeg
from monitora.reports.models import ReportStatus
from monitora.reports.tests.factories import ReportFactory
from monitora.teams.models import Membership
from monitora.teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(django_user_model):
    user = django_user_model.objects.create_user(username="autrice", password="pw-author-1")
    team = TeamFactory()
    Membership.objects.create(team=team, user=user)
    report = ReportFactory(team=team)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}
    return report, headers


def _url(report) -> str:
    return f"/api/v1/author/reports/{report.pk}/attachments"


def test_upload_list_delete_a_photo(client, setup):
    report, headers = setup
    photo = SimpleUploadedFile("cantiere.jpg", jpeg(gps=(41.07, 14.33)), content_type="image/jpeg")
    response = client.post(_url(report), {"file": photo, "caption": "Il cantiere"}, **headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "image" and body["is_cover"] and body["caption"] == "Il cantiere"
    assert body["gps_latitude"] == pytest.approx(41.07, abs=1e-3)  # offered to the authors only
    assert [a["id"] for a in client.get(_url(report), **headers).json()] == [body["id"]]
    # The draft is not public, so neither is its photo.
    assert client.get(f"/api/v1/reports/{report.pk}").status_code == 404
    assert client.get(body["url"].removeprefix("http://127.0.0.1:8000")).status_code in (403, 404)
    deleted = client.delete(f"{_url(report)}/{body['id']}", **headers)
    assert deleted.status_code == 204
    assert not Attachment.objects.exists()


def test_published_report_detail_lists_its_attachments(client, setup):
    report, headers = setup
    photo = SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")
    assert client.post(_url(report), {"file": photo}, **headers).status_code == 201
    report.status, report.published_at = ReportStatus.PUBLISHED, report.created_at
    report.save()
    detail = client.get(f"/api/v1/reports/{report.pk}").json()
    assert [a["kind"] for a in detail["attachments"]] == ["image"]
    assert "gps_latitude" not in detail["attachments"][0]


def test_fake_files_and_forbidden_uploads(client, setup, django_user_model):
    report, headers = setup
    script = SimpleUploadedFile("foto.jpg", b"#!/bin/sh\nrm -rf /\n", content_type="image/jpeg")
    response = client.post(_url(report), {"file": script}, **headers)
    assert response.status_code == 400 and response.json()["detail"]
    assert client.post(_url(report), {}, **headers).status_code == 400
    report.status = ReportStatus.SUBMITTED
    report.save()
    photo = SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")
    assert client.post(_url(report), {"file": photo}, **headers).status_code == 403
    other = django_user_model.objects.create_user(username="altro", password="pw-x-12345")
    other_headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=other, name='t')[1]}"}
    photo = SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")
    assert client.post(_url(report), {"file": photo}, **other_headers).status_code == 404
    assert not Attachment.objects.exists()
