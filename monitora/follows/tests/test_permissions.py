"""Follows are private: nobody sees or changes another person's follows, editors included."""

import pytest
from django.urls import reverse

from monitora.accounts.services import user_data_export, user_delete
from monitora.core.permissions import can
from monitora.follows.models import Follow
from monitora.follows.services import follow_create

from .factories import FollowFactory

pytestmark = pytest.mark.django_db


def test_rules_only_the_owner(roles):
    follow = FollowFactory(user=roles.member)
    assert can(roles.member, "follow.view", follow) and can(roles.member, "follow.change", follow)
    for other in (roles.anonymous, roles.owner, roles.other, roles.editor, roles.admin):
        assert not can(other, "follow.view", follow)
        assert not can(other, "follow.change", follow)
    assert can(roles.registered, "follow.create") and not can(roles.anonymous, "follow.create")


def test_pages_show_and_change_only_ones_own(client, roles, project):
    mine = follow_create(user=roles.member, kind="project", target=project.code)
    theirs = FollowFactory(user=roles.other, label="Segreto di un altro")
    client.force_login(roles.member)
    page = client.get(reverse("follows:mine")).text
    assert mine.label in page and "Segreto di un altro" not in page
    # Someone else's follow is a 404 (not a 403: its existence is private too) and stays as it was.
    assert client.post(reverse("follows:delete", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("follows:delivery", args=[theirs.pk]), {"delivery": "weekly"}).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.delivery == "immediate"
    client.force_login(roles.editor)
    assert mine.label not in client.get(reverse("follows:mine")).text
    assert client.post(reverse("follows:delete", args=[mine.pk])).status_code == 404
    assert Follow.objects.filter(pk=mine.pk).exists()


def test_follow_change_delivery_and_stop(client, roles, project):
    client.force_login(roles.member)
    url = reverse("public:project_detail", args=[project.code])
    response = client.post(
        reverse("follows:create"),
        {"kind": "project", "target": project.code, "delivery": "daily", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    follow = Follow.objects.get(user=roles.member)
    assert (follow.kind, follow.target, follow.delivery) == ("project", project.code, "daily")
    assert "Segui «" in client.get(url).text  # the project page says so
    client.post(reverse("follows:create"), {"kind": "project", "target": project.code})
    assert Follow.objects.filter(user=roles.member).count() == 1  # following twice is one follow
    client.post(reverse("follows:delivery", args=[follow.pk]), {"delivery": "weekly"})
    follow.refresh_from_db()
    assert follow.delivery == "weekly"
    client.post(reverse("follows:delete", args=[follow.pk]))
    assert not Follow.objects.filter(user=roles.member).exists()


def test_nothing_to_follow_and_anonymous(client, roles, project):
    client.force_login(roles.member)
    for kind, target in (
        ("project", "NOPE"),
        ("territory", "999"),
        ("theme", "77"),
        ("search", "bad=1"),
        ("x", "1"),
    ):
        client.post(reverse("follows:create"), {"kind": kind, "target": target})
    assert not Follow.objects.exists()
    client.logout()
    response = client.post(reverse("follows:create"), {"kind": "project", "target": project.code})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Follow.objects.exists()
    # Anonymous visitors get the Atom feed of the project instead of the button.
    page = client.get(reverse("public:project_detail", args=[project.code])).text
    assert reverse("opendata:feed_project", args=[project.code]) in page


def test_follows_are_in_the_export_and_deleted_with_the_account(roles, project):
    follow_create(user=roles.registered, kind="project", target=project.code)
    data = user_data_export(user=roles.registered, by=roles.registered)
    assert [f["target"] for f in data["follows"]] == [project.code]
    user_delete(user=roles.registered, by=roles.registered)
    assert not Follow.objects.exists()
