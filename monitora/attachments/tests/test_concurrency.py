"""Parallel uploads to one report (double click, two team members): no duplicate, no lost number.

Run on PostgreSQL (row locks) and on SQLite, whose test database is a file (config/settings/test.py):
there BEGIN IMMEDIATE serialises the writers instead of the row lock."""

import threading
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from monitora.attachments.models import Attachment
from monitora.attachments.services import attachment_create
from monitora.questionnaires.models import Option, Question, Questionnaire
from monitora.questionnaires.services import questionnaire_sync_all
from monitora.reports.tests.factories import ReportFactory

from . import files


@pytest.fixture
def questionnaires_loaded():
    """Transactional tests flush the database, migration-loaded questionnaires included: reload them."""
    questionnaire_sync_all(
        models=SimpleNamespace(Questionnaire=Questionnaire, Question=Question, Option=Option)
    )


def run_in_parallel(report, payloads: list[bytes]) -> list[object]:
    barrier = threading.Barrier(len(payloads))
    results: list[object] = [None] * len(payloads)

    def worker(index: int, data: bytes) -> None:
        try:
            barrier.wait()
            results[index] = attachment_create(
                report=report, uploaded_file=files.upload("a.png", data), by=None
            )
        except Exception as exc:  # collected and asserted below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, data)) for i, data in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_double_upload_of_the_same_file_stores_it_once(questionnaires_loaded):
    report = ReportFactory()
    results = run_in_parallel(report, [files.png(), files.png()])
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and errors[0].code == "duplicate"
    assert Attachment.objects.filter(report=report).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_get_distinct_positions_and_one_cover(questionnaires_loaded):
    report = ReportFactory()
    results = run_in_parallel(report, [files.png((10 + i, 10)) for i in range(4)])
    assert all(isinstance(r, Attachment) for r in results), results
    attachments = Attachment.objects.filter(report=report)
    assert sorted(a.position for a in attachments) == [1, 2, 3, 4]
    assert attachments.filter(is_cover=True).count() == 1
