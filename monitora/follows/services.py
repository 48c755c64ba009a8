"""Writes of follows: follow, change delivery, stop following (also by signed link), and
`notify_followers`, the one entry point for "something happened here, tell who follows it".

Audit entries say that a follow changed, never what is followed: follows are private, and the
audit log is read by editors.
"""

from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from monitora.core.models import log_action
from monitora.core.permissions import require

from .models import Delivery, Follow
from .notify import notify_followers  # noqa: F401 - the documented entry point lives here
from .targets import target_resolve

UNSUBSCRIBE_SALT = "monitora.follows.unsubscribe"


@transaction.atomic
def follow_create(*, user: Any, kind: str, target: str, delivery: str = Delivery.IMMEDIATE) -> Follow:
    """Follow a target (idempotent: following it again returns the existing follow)."""
    require(user, "follow.create")
    resolved = target_resolve(kind, target)
    if resolved is None:
        raise ValidationError(
            _("Non c'è niente da seguire qui: il progetto, il luogo o la ricerca non esiste.")
        )
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": [_("Scegli come ricevere gli aggiornamenti.")]})
    follow, created = Follow.objects.get_or_create(
        user=user,
        kind=resolved.kind,
        target=resolved.target,
        defaults={"label": resolved.label[:300], "delivery": delivery},
    )
    if created:
        log_action(follow, action="follow.created", actor=user, data={"kind": follow.kind})
    return follow


@transaction.atomic
def follow_set_delivery(*, follow: Follow, by: Any, delivery: str) -> Follow:
    require(by, "follow.change", follow)
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": [_("Scegli come ricevere gli aggiornamenti.")]})
    if follow.delivery != delivery:
        follow.delivery = delivery
        follow.full_clean()
        follow.save(update_fields=["delivery", "updated_at"])
        log_action(follow, action="follow.delivery_changed", actor=by, data={"delivery": delivery})
    return follow


@transaction.atomic
def follow_delete(*, follow: Follow, by: Any) -> None:
    require(by, "follow.change", follow)
    _delete(follow, actor=by, action="follow.deleted")


def _delete(follow: Follow, *, actor: Any, action: str) -> None:
    log_action(follow, action=action, actor=actor, data={"kind": follow.kind})
    follow.delete()


def unsubscribe_token(follow: Follow) -> str:
    """A signed, non-expiring token for the one-click unsubscribe link of e-mails about `follow`."""
    return signing.dumps({"f": follow.pk, "u": follow.user_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_follow(token: str) -> Follow | None:
    """The follow a token names (None: already gone). A tampered token raises BadSignature."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return Follow.objects.filter(pk=data.get("f"), user_id=data.get("u")).first()


@transaction.atomic
def follow_unsubscribe(*, token: str) -> bool:
    """Stop following through the e-mail link, without logging in. True if a follow was removed."""
    follow = unsubscribe_follow(token)
    if follow is None:
        return False
    _delete(follow, actor=None, action="follow.unsubscribed")
    return True
