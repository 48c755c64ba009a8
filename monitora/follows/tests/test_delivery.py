"""Delivery is background work: retried a bounded number of times, failures kept for operators,
and a broken mail server never breaks the request that published the report."""

import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks.signals import task_finished
from django.urls import reverse

from monitora.conftest import make_report
from monitora.core.tasks import MAX_ATTEMPTS
from monitora.follows.models import Notification
from monitora.follows.services import follow_create
from monitora.reports.models import Report

from . import flaky_mail

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_smtp(settings):
    """A real SMTP backend pointed at a port where nothing listens: every send fails."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2, "use_tls": False},
        }
    }


@pytest.fixture
def flaky(settings):
    settings.MAILERS = {"default": {"BACKEND": "monitora.follows.tests.flaky_mail.FlakyBackend"}}
    yield flaky_mail.FAILURES
    flaky_mail.FAILURES.clear()


@pytest.fixture
def results():
    """The task results the backend reports (what the django-tasks-db admin shows in production)."""
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append(task_result)

    task_finished.connect(record)
    yield seen
    task_finished.disconnect(record)


def test_a_transient_failure_is_retried_and_sent(roles, project, publish, flaky, results):
    follow_create(user=roles.registered, kind="project", target=project.code)
    flaky[roles.registered.email] = 1
    publish(project)
    notification = Notification.objects.get(user=roles.registered)
    assert (notification.status, notification.attempts) == ("sent", 2)
    assert "SMTPServerDisconnected" in notification.last_error
    assert any(roles.registered.email in m.to for m in mail.outbox)
    attempts = [r for r in results if r.task.name == "deliver_notifications"]
    assert [r.kwargs.get("attempt", 1) for r in attempts] == [2, 1]  # the retry finishes inside the first


def test_retries_are_bounded_and_the_failure_is_visible(roles, project, publish, dead_smtp, results):
    follow_create(user=roles.registered, kind="project", target=project.code)
    publish(project)
    notification = Notification.objects.get(user=roles.registered)
    assert (notification.status, notification.attempts) == ("failed", MAX_ATTEMPTS)
    assert notification.last_error
    deliveries = [r for r in results if r.task.name == "deliver_notifications"]
    assert len(deliveries) == MAX_ATTEMPTS
    assert [r.status for r in deliveries if r.kwargs.get("attempt") == MAX_ATTEMPTS] == ["FAILED"]
    assert "DeliveryFailed" in deliveries[0].errors[0].exception_class_path
    # The generic e-mail task (team notice of the publication) is retried the same way.
    team_mails = [r for r in results if r.task.name == "send_email"]
    assert len(team_mails) == MAX_ATTEMPTS and team_mails[0].status == "FAILED"


def test_operators_list_failures_with_a_command(roles, project, publish, dead_smtp, capsys):
    follow_create(user=roles.registered, kind="project", target=project.code)
    publish(project)
    call_command("send_digests", "--period", "daily", "--failures")
    out = capsys.readouterr().out
    assert "0 digests and 1 e-mails failed" in out and "attempts=3" in out


@pytest.mark.django_db(transaction=True)
def test_a_dead_mail_server_never_turns_a_publish_into_an_error_page(
    questionnaires, client, roles, project, dead_smtp
):
    """A real commit (no test transaction): the on-commit hooks and the tasks run inside the request."""
    follow_create(user=roles.registered, kind="project", target=project.code)
    report = make_report(roles.team, project=project, status="in_review")
    client.force_login(roles.editor)
    response = client.post(
        reverse("moderation:act", args=[report.pk]),
        {"action": "publish", "lock_version": report.lock_version},
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).status == "published"
    assert Notification.objects.get(user=roles.registered).status == "failed"
