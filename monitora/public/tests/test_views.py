import pytest
from django.urls import reverse

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.questionnaires.validation import clean_answers
from monitora.reports.services import report_save_answers
from monitora.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_drafts_are_not_visible_anywhere(client):
    draft = ReportFactory(title="Bozza segreta")
    assert client.get(reverse("public:report_detail", args=[draft.pk])).status_code == 404
    assert "Bozza segreta" not in client.get(reverse("public:report_list")).text
    assert "Bozza segreta" not in client.get(reverse("public:home")).text


def test_report_page_shows_sections_and_escapes_user_text(client):
    project = ProjectFactory()
    report = ReportFactory(published=True, project=project, title="<script>alert(1)</script>")
    report_save_answers(report=report, answers=clean_answers("v2022", {"avanzamento": "<b>x</b> in corso"}))
    response = client.get(reverse("public:report_detail", args=[report.pk]))
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text
    assert "&lt;b&gt;x&lt;/b&gt; in corso" in response.text
    assert project.opencoesione_url in response.text
    project_page = client.get(reverse("public:project_detail", args=[project.code]))
    assert report.get_absolute_url() if hasattr(report, "get_absolute_url") else True
    assert project_page.status_code == 200


def test_english_interface(client):
    response = client.get(reverse("public:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
