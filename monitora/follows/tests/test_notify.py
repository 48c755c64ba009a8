"""Events reach the people who follow what they concern: by project, place, theme or saved search."""

import pytest
from django.core import mail

from monitora.catalogue.tests.factories import TerritoryFactory
from monitora.conftest import make_report
from monitora.follows.models import EventKind, FollowEvent, Notification
from monitora.follows.services import follow_create, notify_followers
from monitora.reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def regions(db):
    """The regions followed below (the search index places Matera in Basilicata from shipped data)."""
    return [
        TerritoryFactory(kind="R", code=code, name=name)
        for code, name in (("17", "Basilicata"), ("01", "Piemonte"))
    ]


def _mails_to(user) -> list:
    return [m for m in mail.outbox if user.email in m.to]


def test_publication_mails_the_project_follower_with_an_unsubscribe_link(roles, project, publish):
    follow_create(user=roles.registered, kind="project", target=project.code)
    report = publish(project, title="Sassi restaurati")
    [message] = _mails_to(roles.registered)
    assert "Sassi restaurati" in message.subject
    assert f"/report/{report.pk}/" in message.body
    assert "/segui/annulla/" in message.body
    notification = Notification.objects.get(user=roles.registered)
    assert (notification.status, notification.attempts) == ("sent", 1)


def test_places_themes_and_saved_searches_match(roles, project, publish):
    # The project is in Matera (comune), so in the province of Matera and in Basilicata.
    comune = project.territories.get()
    by_comune = follow_create(user=roles.registered, kind="territory", target=comune.code)
    region_follower, theme_follower, search_follower, elsewhere = (
        roles.owner,
        roles.member,
        roles.other,
        roles.admin,
    )
    make_report(roles.team, project=project, status="published")  # the region needs an indexed report
    publish(project)  # ... which this one is
    follow_create(user=region_follower, kind="territory", target="17")
    follow_create(user=elsewhere, kind="territory", target="01")  # Piemonte
    Notification.objects.all().delete()
    FollowEvent.objects.all().delete()
    mail.outbox.clear()
    from monitora.search.models import ReportSearchDocument

    theme = ReportSearchDocument.objects.exclude(theme="").values_list("theme", flat=True).first()
    follow_create(user=theme_follower, kind="theme", target=theme)
    follow_create(user=search_follower, kind="search", target="q=sassi&region=17")
    publish(project, title="I sassi di nuovo aperti")
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {by_comune.user_id, region_follower.pk, theme_follower.pk, search_follower.pk}
    assert not _mails_to(elsewhere)


def test_one_notification_per_person_with_the_fastest_delivery(roles, project, publish):
    follow_create(user=roles.registered, kind="project", target=project.code, delivery="weekly")
    follow_create(user=roles.registered, kind="territory", target="17", delivery="daily")
    publish(project)
    [notification] = Notification.objects.filter(user=roles.registered)
    assert notification.delivery == "daily" and notification.status == "pending"
    assert not _mails_to(roles.registered)  # waits for the digest


def test_only_published_reports_and_once_per_report(
    roles, project, publish, django_capture_on_commit_callbacks
):
    follow_create(user=roles.registered, kind="project", target=project.code)
    report = make_report(roles.team, project=project, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=roles.member, expected_lock_version=report.lock_version)
    assert not Notification.objects.exists()
    published = publish(project)
    assert Notification.objects.count() == 1
    # Withdrawn and published again: followers already know it.
    with django_capture_on_commit_callbacks(execute=True):
        services.report_unpublish(
            report=published, by=roles.editor, expected_lock_version=published.lock_version, reason="Verifica"
        )
    assert Notification.objects.count() == 1


def test_administration_reply_is_an_event(roles, project, publish, django_capture_on_commit_callbacks):
    from monitora.accounts.services import representative_verify

    report = publish(project)
    follow_create(user=roles.registered, kind="project", target=project.code)
    representative_verify(user=roles.other, by=roles.editor, administration_name="Comune di Matera")
    roles.other.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.response_add(report=report, by=roles.other, text="Il cantiere riapre a maggio.")
    [message] = _mails_to(roles.registered)
    assert "Comune di Matera" in message.subject
    assert Notification.objects.get(user=roles.registered).event.kind == EventKind.RESPONSE_ADDED


def test_notify_followers_for_other_apps_is_idempotent(roles, project):
    project.theme_code = "05"
    project.save(update_fields=["theme_code"])
    follow_create(user=roles.registered, kind="project", target=project.code)
    follow_create(user=roles.owner, kind="theme", target="05")
    args = {
        "event_kind": "official_change",
        "project_ids": [project.pk],
        "theme_codes": ["05"],
        "title": "Pagamenti da 120.000 a 480.000 euro",
        "url": f"/progetti/{project.code}/",
    }
    assert notify_followers(**args) == 2
    assert notify_followers(**args) == 0  # the same event again (a re-run): nobody twice
    assert notify_followers(**args, key="official_change:2") == 2
    with pytest.raises(ValueError):
        notify_followers(**{**args, "event_kind": "gossip"})
