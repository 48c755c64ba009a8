"""Request helpers shared by the authors' and the editors' report screens."""

from django.http import Http404, HttpRequest

from monitora.core.permissions import can
from monitora.reports.models import Report


def load_report(request: HttpRequest, report_id: int) -> Report:
    """Load a report; a private report the user may not see is a 404 (its existence is private)."""
    try:
        report = Report.objects.select_related("team", "project", "questionnaire").get(pk=report_id)
    except Report.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "report.view", report):
        raise Http404
    return report


def lock_version_from(request: HttpRequest) -> int | None:
    try:
        value = int(request.POST.get("lock_version", ""))
    except ValueError:
        return None
    return value if value > 0 else None
