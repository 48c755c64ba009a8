"""Reads for the editors' screens."""

from typing import Any

from django.db.models import Q, QuerySet

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
