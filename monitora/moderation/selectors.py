"""Reads for the editors' screens."""

from typing import Any

from django.db.models import Q, QuerySet

from monitora.attachments.selectors import attachment_list, report_source_links, report_video_links
from monitora.core.permissions import is_editor
from monitora.reports.models import ImpactStatus, Report, ReportStatus, RevisionStatus


def report_review_queue(user: Any) -> QuerySet[Report]:
    """What editors must look at: submitted/in review reports, Step 3 and revisions waiting."""
    if not is_editor(user):
        return Report.objects.none()
    return (
        Report.objects.filter(
            Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW])
            | Q(impact_status=ImpactStatus.SUBMITTED)
            | Q(revisions__status=RevisionStatus.PENDING)
        )
        .select_related("team", "project")
        .order_by("submitted_at", "id")
        .distinct()
    )


def review_materials(report: Report) -> dict[str, Any]:
    """Everything an editor must see before publishing: every file (with its EXIF/GPS status),
    every link and the location, with the project's places for comparison on the map."""
    places = []
    if report.project_id:
        places = list(
            report.project.territories.filter(latitude__isnull=False, longitude__isnull=False).order_by(
                "code"
            )
        )
    return {
        "attachments": list(attachment_list(report=report)),
        "source_links": list(report_source_links(report=report)),
        "video_links": report_video_links(report=report),
        # Not rendered as links anywhere else (not http/https): shown as text so nothing is hidden.
        "unsafe_links": list(
            report.links.exclude(Q(url__istartswith="http://") | Q(url__istartswith="https://"))
        ),
        "project_places": places,
        "has_location": report.latitude is not None and report.longitude is not None,
    }
