"""The index follows the data by itself: change hooks -> queued task -> index rows, on commit only."""

import pytest
from django.db import transaction

from monitora.catalogue.changes import projects_changed
from monitora.catalogue.tests.factories import ProjectFactory
from monitora.reports.changes import reports_changed
from monitora.reports.models import Report, ReportStatus
from monitora.search.models import ReportSearchDocument

from .helpers import make_report

pytestmark = pytest.mark.django_db


def _indexed(report) -> bool:
    return ReportSearchDocument.objects.filter(report_id=report.pk).exists()


def _publish_quietly(report) -> None:
    """Change the status behind the index's back, as a bulk import would before announcing it."""
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED)


def test_a_committed_change_reindexes(django_capture_on_commit_callbacks):
    report = make_report(status=ReportStatus.IN_REVIEW)
    _publish_quietly(report)
    with django_capture_on_commit_callbacks(execute=True):
        reports_changed([report.pk], reason="test")
    assert _indexed(report)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.WITHDRAWN)
    with django_capture_on_commit_callbacks(execute=True):
        reports_changed([report.pk], reason="test")
    assert not _indexed(report)


def test_a_rolled_back_write_does_not_reindex(django_capture_on_commit_callbacks):
    report = make_report(status=ReportStatus.IN_REVIEW)
    _publish_quietly(report)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            reports_changed([report.pk], reason="test")
            raise RuntimeError("the write fails after announcing it")
    assert callbacks == []
    assert not _indexed(report)


def test_a_project_change_moves_the_facets_of_its_reports(django_capture_on_commit_callbacks):
    project = ProjectFactory(theme_code="09", theme="Cultura e turismo")
    report = make_report(project=project)
    other = make_report(project=ProjectFactory(theme_code="09", theme="Cultura e turismo"))
    assert ReportSearchDocument.objects.get(report_id=report.pk).theme == "09"
    type(project).objects.filter(pk=project.pk).update(theme_code="07", theme="Trasporti e mobilità")
    with django_capture_on_commit_callbacks(execute=True):
        projects_changed([project.pk], reason="catalogue.imported")
    assert ReportSearchDocument.objects.get(report_id=report.pk).theme_name == "Trasporti e mobilità"
    assert ReportSearchDocument.objects.get(report_id=other.pk).theme == "09"


def test_a_team_category_change_moves_the_author_facet(django_capture_on_commit_callbacks):
    report = make_report()
    team = report.team
    with django_capture_on_commit_callbacks(execute=True):
        team.category = "university" if team.category != "university" else "citizen"
        team.save()
    assert ReportSearchDocument.objects.get(report_id=report.pk).author_category == team.category
