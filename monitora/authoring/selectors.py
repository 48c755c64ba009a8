"""Reads for authors and editors (never used by public channels)."""

from typing import Any

from django.db.models import Q, QuerySet

from monitora.core.permissions import is_editor
from monitora.reports.models import Report, ReportStatus


def report_raw_answers(report: Report) -> dict[str, Any]:
    """Stored answers as the raw values `clean_answers` accepts: option code, bool or text."""
    raw: dict[str, Any] = {}
    for answer in report.answers.select_related("question", "option"):
        if answer.option_id:
            raw[answer.question.key] = answer.option.code
        elif answer.boolean is not None:
            raw[answer.question.key] = answer.boolean
        else:
            raw[answer.question.key] = answer.text
    return raw


def report_list_for_user(user: Any) -> QuerySet[Report]:
    """Reports of the user's teams, every status."""
    return (
        Report.objects.filter(team__memberships__user_id=user.pk)
        .select_related("team", "project")
        .order_by("-updated_at")
        .distinct()
    )


def report_review_queue(user: Any) -> QuerySet[Report]:
    """What editors must look at: submitted/in review reports, Step 3 and revisions waiting."""
    if not is_editor(user):
        return Report.objects.none()
    return (
        Report.objects.filter(
            Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW])
            | Q(impact_status="submitted")
            | Q(revisions__status="pending")
        )
        .select_related("team", "project")
        .order_by("submitted_at", "id")
        .distinct()
    )


def project_from_input(text: str) -> tuple[Any, str]:
    """Find a catalogue project from a code or an OpenCoesione project URL.

    Returns (project or None, the normalised code/slug). Input is bounded and only ever used as a
    query parameter, never concatenated into SQL or URLs.
    """
    from urllib.parse import urlparse

    from monitora.catalogue.models import Project, project_slug

    value = (text or "").strip()[:300]
    if not value:
        return None, ""
    if "://" in value or value.startswith("opencoesione.gov.it"):
        parsed = urlparse(value if "://" in value else f"https://{value}")
        parts = [p for p in parsed.path.split("/") if p]
        if not parsed.netloc.endswith("opencoesione.gov.it") or "progetti" not in parts:
            return None, ""
        idx = parts.index("progetti")
        value = parts[idx + 1] if len(parts) > idx + 1 else ""
        if not value:
            return None, ""
        exact = Project.objects.public().filter(code__iexact=value).first()
        if exact:
            return exact, exact.code
        for project in Project.objects.public().filter(code__istartswith=value[:3]).only("id", "code")[:5000]:
            if project_slug(project.code) == value.lower():
                return Project.objects.get(pk=project.pk), project.code
        return None, value
    project = Project.objects.public().filter(code__iexact=value).first()
    return project, (project.code if project else value)


def published_reports_of(project: Any) -> QuerySet[Report]:
    return Report.objects.published().filter(project=project).order_by("-published_at")
