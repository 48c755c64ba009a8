"""The number of SQL queries of each public page does not grow with the number of reports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory

from .helpers import make_report

ANSWERS = {"obiettivi": "Riaprire la scuola", "stato_di_avanzamento": "4", "gs": "2", "visita_diretta": True}


def _add_reports(project, n: int) -> list:
    return [
        make_report(
            title=f"Scuola {i}",
            project=project,
            project_code=project.code,
            answers=ANSWERS,
            latitude=41.07,
            longitude=14.33,
        )
        for i in range(n)
    ]


def _pages(project, report) -> dict[str, str]:
    return {
        "home": reverse("public:home"),
        "search": reverse("search:reports") + "?q=scuola&efficacia=2",
        "report page": reverse("public:report_detail", args=[report.pk]),
        "project page": reverse("public:project_detail", args=[project.code]),
        "statistics": reverse("stats:statistics"),
        "api list": "/api/v1/reports?page_size=100",
    }


def _queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (questionnaire maps, translations)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_public_pages_run_the_same_queries_for_3_and_15_reports(client):
    comune = TerritoryFactory(code="061022", name="Caserta", latitude=41.07, longitude=14.33)
    project = ProjectFactory(code="CE_1", theme_code="09", theme="Cultura e turismo")
    project.territories.add(comune)
    first = _add_reports(project, 3)[0]
    pages = _pages(project, first)
    few = {name: _queries(client, url) for name, url in pages.items()}
    _add_reports(project, 12)
    many = {name: _queries(client, url) for name, url in pages.items()}
    assert many == few, (few, many)
