"""The production task path: the database backend stores the task, `db_worker` runs it.

Transactional (real commits): the worker closes and reopens connections like the real process.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from monitora.reports.changes import reports_changed
from monitora.reports.models import Report, ReportStatus
from monitora.search.models import ReportSearchDocument

from .helpers import make_report

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def questionnaires(transactional_db):
    """Transactional tests start from a flushed database: put the questionnaire rows back."""
    from monitora.questionnaires import models
    from monitora.questionnaires.services import questionnaire_sync_all

    questionnaire_sync_all(models=models)


def _indexed(report) -> bool:
    return ReportSearchDocument.objects.filter(report_id=report.pk).exists()


@override_settings(TASKS=DATABASE_TASKS)
def test_the_database_backend_waits_for_the_worker():
    """Production path: the hook stores a task row; nothing changes until `db_worker` runs it."""
    report = make_report(status=ReportStatus.IN_REVIEW)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED)
    reports_changed([report.pk], reason="test")  # autocommit: the hook fires at once
    # Other listeners (insights) queue their own tasks beside the reindex.
    task = DBTaskResult.objects.get(task_path="monitora.search.tasks.reindex_reports")
    assert task.args_kwargs["args"] == [[report.pk]]
    assert not _indexed(report)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    assert _indexed(report)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
