"""Reads for authors (never used by public channels)."""

from typing import Any

from django.db.models import QuerySet

from monitora.reports.models import Report


def report_list_for_user(user: Any) -> QuerySet[Report]:
    """Reports of the user's teams, every status."""
    return (
        Report.objects.filter(team__memberships__user_id=user.pk)
        .select_related("team", "project")
        .order_by("-updated_at")
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
