"""Who hears about a report's workflow: its team or the editors (mail is queued on commit)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from ..models import Report


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
