"""One-click unsubscribe from an e-mail: a signed link, no login; a tampered link is refused."""

import pytest
from django.urls import reverse

from monitora.core.models import AuditLog
from monitora.follows.models import Follow
from monitora.follows.services import unsubscribe_token

from .factories import FollowFactory

pytestmark = pytest.mark.django_db


def test_link_unsubscribes_without_login(client):
    follow = FollowFactory(label="Scuola di Matera")
    url = reverse("follows:unsubscribe", args=[unsubscribe_token(follow)])
    page = client.get(url)
    assert page.status_code == 200 and "Scuola di Matera" in page.text
    assert Follow.objects.filter(pk=follow.pk).exists()  # GET (a mail scanner) changes nothing
    response = client.post(url)
    assert response.status_code == 200 and "Fatto" in response.text
    assert not Follow.objects.filter(pk=follow.pk).exists()
    assert AuditLog.objects.filter(action="follow.unsubscribed", object_id=str(follow.pk)).exists()
    assert client.post(url).status_code == 200  # a second click: nothing left, no error


@pytest.mark.parametrize("tamper", ["swap-id", "flip-char", "garbage"])
def test_tampered_link_is_refused(client, tamper):
    follow, other = FollowFactory(), FollowFactory()
    token = unsubscribe_token(follow)
    if tamper == "swap-id":
        # Another person's follow id with this signature.
        bad = unsubscribe_token(other).split(":")[0] + ":" + token.split(":", 1)[1]
    elif tamper == "flip-char":
        bad = token[:-1] + ("A" if token[-1] != "A" else "B")
    else:
        bad = "not-a-token"
    url = reverse("follows:unsubscribe", args=[bad])
    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400
    assert Follow.objects.count() == 2


def test_token_of_another_user_does_not_match(client):
    """A valid signature over (follow, user) only removes that user's follow."""
    follow = FollowFactory()
    token = unsubscribe_token(follow)
    Follow.objects.filter(pk=follow.pk).update(user=FollowFactory().user)
    client.post(reverse("follows:unsubscribe", args=[token]))
    assert Follow.objects.filter(pk=follow.pk).exists()
