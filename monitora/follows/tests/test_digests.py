"""Daily and weekly digests: one e-mail per person and period, never twice, built set-based."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from monitora.accounts.tests.factories import UserFactory
from monitora.catalogue.tests.factories import ProjectFactory
from monitora.follows.digests import digests_build, period_key
from monitora.follows.models import Digest, Follow, Notification
from monitora.follows.services import follow_create, notify_followers

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 30, 7, tzinfo=dt.UTC)


def _event(project, n: int) -> int:
    return notify_followers(
        event_kind="official_change",
        project_ids=[project.pk],
        title=f"Cambio {n}",
        url=f"/progetti/{project.code}/",
    )


def test_period_keys():
    assert period_key("daily", MONDAY) == "2026-11-30"
    assert period_key("weekly", MONDAY) == "2026-W49"


def test_daily_digest_groups_events_and_is_sent_once(roles, project, django_capture_on_commit_callbacks):
    follow_create(user=roles.registered, kind="project", target=project.code, delivery="daily")
    follow_create(user=roles.owner, kind="project", target=project.code, delivery="weekly")
    for n in range(3):
        _event(project, n)
    assert not mail.outbox  # nothing immediate
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--period", "daily")
    [message] = mail.outbox
    assert message.to == [roles.registered.email]
    assert all(f"Cambio {n}" in message.body for n in range(3)) and "/segui/annulla/" in message.body
    digest = Digest.objects.get(user=roles.registered)
    assert (digest.status, digest.period) == ("sent", "daily")
    assert set(Notification.objects.filter(user=roles.registered).values_list("status", flat=True)) == {
        "sent"
    }

    # A second run the same day sends nothing; a later event waits for tomorrow's digest.
    _event(project, 4)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--period", "daily")
    assert len(mail.outbox) == 1
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(digests_build(period="daily", now=tomorrow)) == 1
    assert (
        len(mail.outbox) == 2 and "Cambio 4" in mail.outbox[1].body and "Cambio 0" not in mail.outbox[1].body
    )

    # The weekly follower gets the week's four events in one e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--period", "weekly")
    assert mail.outbox[-1].to == [roles.owner.email] and mail.outbox[-1].body.count("Cambio") == 4


def test_digest_generation_is_set_based(django_assert_max_num_queries):
    """The number of queries does not grow with the number of followers (bench: docs/follow.md)."""
    project = ProjectFactory()
    users = [UserFactory(verified=False) for _ in range(60)]
    Follow.objects.bulk_create(
        [Follow(user=u, kind="project", target=project.code, label="P", delivery="daily") for u in users]
    )
    _event(project, 1)
    _event(project, 2)
    with django_assert_max_num_queries(12):
        ids = digests_build(period="daily")
    assert len(ids) == 60
    from monitora.follows.tasks import deliver_digests

    with django_assert_max_num_queries(8):
        deliver_digests.call(digest_ids=ids)
    assert len(mail.outbox) == 60
