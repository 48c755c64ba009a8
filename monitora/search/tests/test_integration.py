"""The index follows the services that publish, unpublish, edit and import reports.

The services announce changes on commit (`reports.changes`); `execute=True` runs those callbacks
as a real commit would, and the immediate task backend of the tests reindexes at once.
"""

from pathlib import Path

import pytest
from django.conf import settings

from monitora.conftest import make_report
from monitora.imports.legacy.services import legacy_csv_import
from monitora.reports import services
from monitora.search.filters import html_filters
from monitora.search.models import ReportSearchDocument
from monitora.search.selectors import report_search
from monitora.search.services import report_search_index

pytestmark = pytest.mark.django_db


def _indexed(report) -> bool:
    return ReportSearchDocument.objects.filter(report=report).exists()


def test_publish_indexes_and_reject_removes(roles, project, django_capture_on_commit_callbacks):
    report = make_report(roles.team, project=project, status="submitted", title="Piazza di Matera")
    assert not _indexed(report)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    document = ReportSearchDocument.objects.get(report=report)
    # The catalogue territory (Matera, by name) gives region, province and the map point.
    assert (document.region_name, document.province_name, document.location_precision) == (
        "Basilicata",
        "Matera",
        "municipality",
    )
    assert (document.latitude, document.longitude) == (40.6664, 16.6043)
    assert (document.progress, document.official_state) == ("4", project.state)
    assert [d.report_id for d in report_search(html_filters({"q": "piazze matera"})).items] == [report.pk]

    other = make_report(roles.team, project=project, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_reject(report=other, by=roles.editor, expected_lock_version=other.lock_version)
    assert not _indexed(other)


def test_approved_revision_is_reindexed(roles, django_capture_on_commit_callbacks):
    report = make_report(roles.team, status="published", title="Titolo pubblicato")
    report_search_index(report)  # the fixture publishes without the service
    revision = services.revision_propose(
        report=report,
        by=roles.member,
        fields={"title": "Biblioteca riaperta"},
        raw_answers={"obiettivi": "Riaprire", "stato_di_avanzamento": "6", "avanzamento": "Fatto"},
    )
    assert report_search(html_filters({"q": "biblioteca"})).total == 0  # pending: the published text stays
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_approve(
            revision=revision, by=roles.editor, expected_lock_version=report.lock_version
        )
    document = ReportSearchDocument.objects.get(report=report)
    assert (document.progress, report_search(html_filters({"q": "biblioteche"})).total) == ("6", 1)


def test_dry_run_import_indexes_nothing_and_real_import_indexes_every_report(
    django_capture_on_commit_callbacks,
):
    sample = Path(settings.BASE_DIR) / "data" / "monithon" / "legacy-reports-sample.csv"
    with django_capture_on_commit_callbacks(execute=True):
        legacy_csv_import(path=sample, dry_run=True)
    assert ReportSearchDocument.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        legacy_csv_import(path=sample)
    assert ReportSearchDocument.objects.count() == 59
    result = report_search(html_filters({"regione": ["15"]}))
    assert result.total == next(
        v.count for f in result.facets if f.key == "regione" for v in f.values if v.value == "15"
    )
