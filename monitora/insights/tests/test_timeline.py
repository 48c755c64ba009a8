"""The timeline lists reports, administrations' replies, impact updates and official changes."""

import datetime as dt

import pytest

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.core.models import log_action
from monitora.insights.models import OfficialChange
from monitora.insights.timeline import euro, project_timeline
from monitora.reports.models import AdministrationResponse
from monitora.search.tests.helpers import make_report

pytestmark = pytest.mark.django_db


def test_euro_reads_as_italian_money():
    assert euro("120000.00") == "120.000 €"
    assert euro("1234.5") == "1.234,50 €"


def test_timeline_of_a_project_newest_first():
    project = ProjectFactory()
    report = make_report(project=project, title="Scuola chiusa")  # published 2024-03-05
    AdministrationResponse.objects.create(report=report, administration_name="Comune di Matera", text="Ok")
    log_action(report, action="impact.publish")
    at = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    OfficialChange.objects.create(
        project=project, field="payments", old="1000.00", new="5000.00", recorded_at=at
    )
    later = dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
    OfficialChange.objects.create(
        project=project, field="payments", old="5000.00", new="9000.00", recorded_at=later
    )
    texts = [e.text for e in project_timeline(project)]
    assert "Risposta di Comune di Matera al report «Scuola chiusa»" in texts
    assert "Aggiornamento sull'impatto del report «Scuola chiusa»" in texts
    assert texts[-2:] == [
        "Pagamenti: da 1.000 € al momento del report a 5.000 €",
        "Report pubblicato: «Scuola chiusa»",
    ]
    assert "Pagamenti: da 5.000 € a 9.000 €" in texts


def test_a_hidden_reply_is_not_in_the_timeline():
    project = ProjectFactory()
    report = make_report(project=project)
    AdministrationResponse.objects.create(
        report=report,
        administration_name="Regione",
        text="x",
        hidden_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    assert not any(e.kind == "response" for e in project_timeline(project))
