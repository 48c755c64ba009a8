"""Daily and weekly digests, built set-based: a handful of queries whatever the number of people.

A digest exists once per (person, period, day or week): running `send_digests` twice for the
same period sends nothing the second time; notifications that arrive later wait for the next one.
"""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from .models import Delivery, Digest, Notification

# Digests are sent by tasks of this many digests each.
DIGEST_CHUNK = 200


def period_key(period: str, now: datetime | None = None) -> str:
    """The day ("2026-12-05") or ISO week ("2026-W49") a digest run covers, in local time."""
    today = timezone.localdate(now or timezone.now())
    if period == Delivery.WEEKLY:
        year, week, _day = today.isocalendar()
        return f"{year}-W{week:02d}"
    return today.isoformat()


@transaction.atomic
def digests_build(*, period: str, now: datetime | None = None) -> list[int]:
    """Group every pending notification of `period` into one digest per person; queue their sending.

    Returns the ids of the digests queued by this run (empty when the period was already done).
    """
    if period not in (Delivery.DAILY, Delivery.WEEKLY):
        raise ValueError(f"unknown digest period {period!r}")
    key = period_key(period, now)
    pending = Notification.objects.filter(
        delivery=period, digest__isnull=True, status=Notification.Status.PENDING
    )
    users = set(pending.values_list("user_id", flat=True).distinct().order_by())
    users -= set(Digest.objects.filter(period=period, period_key=key).values_list("user_id", flat=True))
    Digest.objects.bulk_create(
        [Digest(user_id=u, period=period, period_key=key) for u in sorted(users)], batch_size=1000
    )
    building = Digest.objects.filter(period=period, period_key=key, status=Digest.Status.BUILDING)
    mine = building.filter(user_id=OuterRef("user_id"))
    pending.filter(Exists(mine)).update(digest_id=Subquery(mine.values("id")[:1]))
    ids = sorted(building.values_list("id", flat=True))
    building.update(status=Digest.Status.QUEUED)
    for start in range(0, len(ids), DIGEST_CHUNK):
        transaction.on_commit(partial(_enqueue, ids[start : start + DIGEST_CHUNK]))
    return ids


def _enqueue(digest_ids: list[int]) -> None:
    from .tasks import deliver_digests

    deliver_digests.enqueue(digest_ids=digest_ids)
