"""Parallel requests on a real database: one effect per action, no lost update.

Threads each get their own database connection, so these tests need committed data
(`transaction=True`). They run on PostgreSQL and on SQLite: the SQLite test database is a file
(config/settings/test.py), where WAL + BEGIN IMMEDIATE + the busy timeout make parallel writers
wait for each other, as in production (an in-memory shared-cache database would fail at once
with "database table is locked").
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from monitora.conftest import make_report
from monitora.core.models import AuditLog
from monitora.reports.models import Report

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def questionnaires(transactional_db):
    """Transactional tests start from a flushed database: put the questionnaire rows back."""
    from monitora.questionnaires import models
    from monitora.questionnaires.services import questionnaire_sync_all

    questionnaire_sync_all(models=models)


def run_parallel(n, fn):
    """Start `n` calls of fn(i) together (barrier) and return their results in order."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        try:
            barrier.wait(timeout=10)
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - report everything to the assertion
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_double_click_on_publish_has_one_effect(roles):
    report = make_report(roles.team, status="in_review")
    clients = [_client(roles.editor), _client(roles.admin), _client(roles.editor), _client(roles.admin)]
    data = {"action": "publish", "lock_version": report.lock_version}
    results = run_parallel(
        4, lambda i: clients[i].post(f"/redazione/report/{report.pk}/azione/", data).status_code
    )
    assert results == [302] * 4
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == "published" and stored.lock_version == report.lock_version + 1
    assert AuditLog.objects.filter(object_id=str(report.pk), action="report.publish").count() == 1


def test_double_submit_has_one_effect(roles):
    report = make_report(roles.team)
    clients = [_client(roles.member), _client(roles.owner), _client(roles.member)]
    data = {"lock_version": report.lock_version}
    run_parallel(3, lambda i: clients[i].post(f"/report/{report.pk}/invia/", data).status_code)
    assert Report.objects.get(pk=report.pk).status == "submitted"
    assert AuditLog.objects.filter(object_id=str(report.pk), action="report.submit").count() == 1


def test_two_editors_publish_and_reject_at_once(roles):
    report = make_report(roles.team, status="in_review")
    clients = [_client(roles.editor), _client(roles.admin)]
    actions = ["publish", "reject"]
    run_parallel(
        2,
        lambda i: clients[i].post(
            f"/redazione/report/{report.pk}/azione/",
            {"action": actions[i], "lock_version": report.lock_version},
        ),
    )
    stored = Report.objects.get(pk=report.pk)
    assert stored.status in ("published", "rejected")
    assert (
        AuditLog.objects.filter(
            object_id=str(report.pk), action__in=["report.publish", "report.reject"]
        ).count()
        == 1
    )


def test_parallel_editors_one_save_wins_the_other_is_told(roles):
    report = make_report(roles.team)
    clients = [_client(roles.member), _client(roles.owner)]
    texts = ["Versione di Anna", "Versione di Bruno"]

    def save(i):
        resp = clients[i].post(
            f"/report/{report.pk}/modifica/?passo=1",
            {"lock_version": report.lock_version, "passo": 1, "title": texts[i], "q_obiettivi": texts[i]},
        )
        return resp.status_code, resp.content.decode()

    results = run_parallel(2, save)
    statuses = sorted(status for status, _ in results)
    assert statuses == [302, 409], results
    winner = next(i for i, (status, _) in enumerate(results) if status == 302)
    loser = 1 - winner
    stored = Report.objects.get(pk=report.pk)
    assert stored.title == texts[winner]
    assert stored.answers.get(question__key="obiettivi").text == texts[winner]
    # Nothing is lost: the refused editor gets their own text back with the explanation.
    assert texts[loser] in results[loser][1] and "modificato da qualcun altro" in results[loser][1]
