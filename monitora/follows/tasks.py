"""Background work of follows: turn report changes into events, send e-mails and digests.

Each sending task retries what failed (bounded, `core.tasks.retry_later`); after the last attempt
the rows stay FAILED with their error (admin: Notifiche, Riepiloghi) and the task raises, so its
result is FAILED in the task results too.
"""

import logging

from django.db.models import F
from django.tasks import task
from django.utils import timezone

from monitora.core.tasks import MAX_ATTEMPTS, retry_later

from .mail import digest_message, notification_message
from .models import Digest, Notification

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Some e-mails could not be sent after the last attempt."""


@task
def record_report_events(*, report_ids: list[int], reason: str) -> int:
    from .events import record_report_events as record

    return record(report_ids=report_ids, reason=reason)


@task
def record_insight_events(*, change_ids: list[int] = (), discrepancy_ids: list[int] = ()) -> int:
    from .insight_events import record_discrepancies, record_official_changes

    return record_official_changes(list(change_ids)) + record_discrepancies(list(discrepancy_ids))


def _failed(model, ids: list[int], error: BaseException, attempt: int) -> None:
    """Count the attempt and keep the error; after the last one the rows are FAILED (admin)."""
    if attempt >= MAX_ATTEMPTS:
        status = model.Status.FAILED
    else:
        status = Notification.Status.PENDING if model is Notification else Digest.Status.QUEUED
    model.objects.filter(pk__in=ids).update(
        attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000], status=status
    )


@task
def deliver_notifications(*, notification_ids: list[int], attempt: int = 1) -> int:
    """Send the immediate e-mails of these notifications (the ones not sent yet)."""
    pending = Notification.objects.filter(
        pk__in=notification_ids, status__in=[Notification.Status.PENDING, Notification.Status.FAILED]
    ).select_related("event", "follow", "user")
    sent, failed, error = [], [], None
    for notification in pending:
        try:
            if notification.user.email:
                notification_message(notification).send()
            sent.append(notification.pk)
        except Exception as exc:  # a mail server error must not lose the other e-mails
            failed.append(notification.pk)
            error = exc
    now = timezone.now()
    Notification.objects.filter(pk__in=sent).update(
        status=Notification.Status.SENT, sent_at=now, attempts=F("attempts") + 1
    )
    if failed:
        _failed(Notification, failed, error, attempt)
        if not retry_later(deliver_notifications, attempt=attempt, error=error, notification_ids=failed):
            raise DeliveryFailed(f"{len(failed)} e-mails not sent: {error}")
    return len(sent)


@task
def deliver_digests(*, digest_ids: list[int], attempt: int = 1) -> int:
    """Send these digests (each once: a SENT digest is skipped)."""
    digests = {
        d.pk: d
        for d in Digest.objects.filter(
            pk__in=digest_ids, status__in=[Digest.Status.QUEUED, Digest.Status.FAILED]
        ).select_related("user")
    }
    grouped: dict[int, list[Notification]] = {pk: [] for pk in digests}
    rows = Notification.objects.filter(digest_id__in=list(digests)).select_related("event", "follow")
    for notification in rows.order_by("digest_id", "event__created_at", "pk"):
        grouped[notification.digest_id].append(notification)
    sent, failed, error = [], [], None
    for pk, digest in digests.items():
        try:
            if digest.user.email and grouped[pk]:
                digest_message(
                    email=digest.user.email, period=digest.period, notifications=grouped[pk]
                ).send()
            sent.append(pk)
        except Exception as exc:  # one bad address or a server hiccup must not stop the others
            failed.append(pk)
            error = exc
    now = timezone.now()
    Digest.objects.filter(pk__in=sent).update(
        status=Digest.Status.SENT, sent_at=now, attempts=F("attempts") + 1
    )
    Notification.objects.filter(digest_id__in=sent).update(status=Notification.Status.SENT, sent_at=now)
    if failed:
        _failed(Digest, failed, error, attempt)
        if not retry_later(deliver_digests, attempt=attempt, error=error, digest_ids=failed):
            raise DeliveryFailed(f"{len(failed)} digests not sent: {error}")
    return len(sent)
