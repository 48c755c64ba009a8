"""Cron entry point: `manage.py send_digests --period daily` (each morning) and `--period weekly`
(each Monday). Idempotent: a second run for the same day or week sends nothing again."""

from django.core.management.base import BaseCommand

from monitora.follows.digests import digests_build, period_key
from monitora.follows.models import Delivery, Digest, Notification


class Command(BaseCommand):
    help = "Group pending follow notifications into one digest per person and queue the e-mails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period",
            choices=[Delivery.DAILY, Delivery.WEEKLY],
            required=True,
            help="daily or weekly digest",
        )
        parser.add_argument(
            "--failures", action="store_true", help="only list the deliveries that failed after every retry"
        )

    def handle(self, *args, period: str, failures: bool, **options):
        if failures:
            self._failures(period)
            return
        ids = digests_build(period=period)
        self.stdout.write(f"{period} {period_key(period)}: {len(ids)} digests queued")

    def _failures(self, period: str) -> None:
        digests = Digest.objects.filter(period=period, status=Digest.Status.FAILED)
        for digest in digests.order_by("-created_at")[:100]:
            self.stdout.write(
                f"digest {digest.pk} {digest.period_key} attempts={digest.attempts}: {digest.last_error}"
            )
        notes = Notification.objects.filter(status=Notification.Status.FAILED, delivery=Delivery.IMMEDIATE)
        for note in notes.order_by("-created_at")[:100]:
            self.stdout.write(f"e-mail {note.pk} attempts={note.attempts}: {note.last_error}")
        self.stdout.write(f"{digests.count()} digests and {notes.count()} e-mails failed")
