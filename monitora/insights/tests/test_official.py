"""A catalogue re-import records which official fields of reported projects changed, and the
project and report pages tell it in plain words (issue 15, point 4)."""

import pytest
from django.urls import reverse

from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.models import ImportRun, Project
from monitora.catalogue.tests.conftest import esteso_row
from monitora.insights.models import OfficialChange
from monitora.insights.signals import official_changes_recorded
from monitora.reports.services.snapshot import project_snapshot
from monitora.search.tests.helpers import make_report

pytestmark = pytest.mark.django_db


def _import(esteso_file, rows, name, capture):
    with capture(execute=True):
        return catalogue_import(paths=[esteso_file(rows, name)])


@pytest.fixture
def reimported(territories, esteso_file, django_capture_on_commit_callbacks):
    """C1 has a report (snapshot at 120.000 € paid, in progress); C2 has none; then both change."""
    first = [
        esteso_row("C1", TOT_PAGAMENTI="120000,00", FINANZ_TOTALE_PUBBLICO="500000,00"),
        esteso_row("C2", TOT_PAGAMENTI="1000,00"),
    ]
    _import(esteso_file, first, "first.csv", django_capture_on_commit_callbacks)
    project = Project.objects.get(code="C1")
    report = make_report(
        project=project, project_snapshot=project_snapshot(project), title="Il cantiere fermo"
    )
    second = [
        esteso_row(
            "C1",
            TOT_PAGAMENTI="480000,00",
            FINANZ_TOTALE_PUBBLICO="500000,00",
            OC_STATO_PROGETTO="Concluso",
            OC_DATA_FINE_PROGETTO_EFFETTIVA="20250115",
        ),
        esteso_row("C2", TOT_PAGAMENTI="9000,00", OC_STATO_PROGETTO="Concluso"),
    ]
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    official_changes_recorded.connect(listener)
    try:
        run = _import(esteso_file, second, "second.csv", django_capture_on_commit_callbacks)
    finally:
        official_changes_recorded.disconnect(listener)
    return project, report, run, received


def test_reimport_records_the_changed_official_fields_of_reported_projects(reimported):
    project, _report, run, received = reimported
    changes = {c.field: (c.old, c.new) for c in OfficialChange.objects.filter(project=project)}
    assert changes == {
        "payments": ("120000.00", "480000.00"),
        "state": ("In corso", "Concluso"),
        "actual_end_date": ("", "2025-01-15"),
    }
    assert set(OfficialChange.objects.values_list("import_run_id", flat=True)) == {run.pk}
    assert run.status == ImportRun.Status.SUCCEEDED
    # C2 changed too, but nobody reported on it: nothing recorded.
    assert not OfficialChange.objects.filter(project__code="C2").exists()
    assert received and received[0]["project_ids"] == frozenset({project.pk})


def test_an_unchanged_reimport_records_nothing_more(
    reimported, esteso_file, django_capture_on_commit_callbacks
):
    before = OfficialChange.objects.count()
    rows = [
        esteso_row(
            "C1",
            TOT_PAGAMENTI="480000,00",
            FINANZ_TOTALE_PUBBLICO="500000,00",
            OC_STATO_PROGETTO="Concluso",
            OC_DATA_FINE_PROGETTO_EFFETTIVA="20250115",
            OC_TITOLO_PROGETTO="Nuovo titolo",  # a change we do not track
        ),
    ]
    _import(esteso_file, rows, "third.csv", django_capture_on_commit_callbacks)
    assert OfficialChange.objects.count() == before


def test_project_page_timeline_tells_the_changes_in_plain_words(client, reimported):
    project, report, _run, _received = reimported
    html = client.get(reverse("public:project_detail", args=[project.code])).content.decode()
    assert "Cosa è successo" in html
    assert "Pagamenti: da 120.000 € al momento del report a 480.000 €" in html
    assert "Stato: In corso → Concluso" in html
    assert "Data di fine effettiva: non indicato → 15/01/2025" in html
    assert "Report pubblicato: «Il cantiere fermo»" in html


def test_report_page_timeline_shows_the_project_changes(client, reimported):
    _project, report, _run, _received = reimported
    html = client.get(reverse("public:report_detail", args=[report.pk])).content.decode()
    assert "Pagamenti: da 120.000 € al momento del report a 480.000 €" in html
    assert "Stato: In corso → Concluso" in html
