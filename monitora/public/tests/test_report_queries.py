"""The report page reads a fixed number of times, however many reports and replies its project has."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitora.reports.models import AdministrationResponse
from monitora.reports.tests.factories import ReportFactory

from .reports import make_rich_report

pytestmark = pytest.mark.django_db


def page(client, report) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("public:report_detail", args=[report.pk]))
    assert response.status_code == 200
    return response.text, len(queries)


def test_report_page_queries_do_not_grow_with_the_project(client):
    report = make_rich_report()
    _html, alone = page(client, report)
    for n in range(6):
        other = ReportFactory(
            published=True,
            title=f"Altro report {n}",
            project=report.project,
            project_code=report.project.code,
            published_at=timezone.now() - dt.timedelta(days=n),
        )
        AdministrationResponse.objects.create(report=other, administration_name=f"Comune {n}", text="Ok.")
    AdministrationResponse.objects.create(report=report, administration_name="Comune di Moncalieri", text="-")
    html, crowded = page(client, report)
    assert crowded == alone
    # The shared reads still feed every panel: the same-project list (newest first, five at most),
    # the page's own official response and the timeline's replies to the other reports.
    same = html.split("Sullo stesso progetto", 1)[1].split("</ul>", 1)[0]
    assert [f"Altro report {n}" in same for n in range(6)] == [True] * 5 + [False]
    responses = html.split('id="risposte-ufficiali"', 1)[1].split("</section>", 1)[0]
    assert "Comune di Moncalieri" in responses and "Comune 0" not in responses
    assert "Risposta di Comune 5 al report «Altro report 5»" in html


def test_report_without_catalogue_project_tells_its_own_timeline(client):
    report = ReportFactory(published=True, title="Strada interrotta", project=None, project_code="9XYZ01")
    AdministrationResponse.objects.create(report=report, administration_name="Provincia", text="In corso.")
    html, _queries = page(client, report)
    assert "Report pubblicato: «Strada interrotta»" in html
    assert "Risposta di Provincia al report «Strada interrotta»" in html
