"""E-mails about the workflow, always sent after the transaction commits."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from monitora.reports.models import Report


def one_line(text: str, limit: int = 120) -> str:
    """Subjects are headers: no newlines, bounded length."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def team_emails(report: Report) -> list[str]:
    if report.team_id is None:
        return []
    return sorted(
        {e for e in report.team.members.filter(is_active=True).values_list("email", flat=True) if e}
    )


def editor_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def report_url(report: Report) -> str:
    return settings.SITE_URL + reverse("authoring:report_status", args=[report.pk])


def notify_on_commit(*, recipients: Iterable[str], subject: str, body: str) -> None:
    to = [r for r in recipients if r]
    if not to:
        return
    subject = one_line(f"[Monitora] {subject}")

    def _send() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)

    transaction.on_commit(_send)
