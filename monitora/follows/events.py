"""Report changes that followers hear about: a publication, an administration's reply, an impact update.

`report_changed` (sent on commit by every report write path) names the reports and the reason;
the reasons below queue a task that records the event for each published report and notifies
its followers. Anything else (drafts, reviews, reindexing) is ignored.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from monitora.reports.models import AdministrationResponse, ImpactStatus, Report

from .models import EventKind
from .notify import notify_followers

REASONS = {
    "report.publish": EventKind.REPORT_PUBLISHED,
    "response.added": EventKind.RESPONSE_ADDED,
    "impact.publish": EventKind.IMPACT_PUBLISHED,
}


def on_report_changed(*, report_ids, reason: str) -> None:
    if reason in REASONS:
        from .tasks import record_report_events

        record_report_events.enqueue(report_ids=sorted(report_ids), reason=reason)


def _event(report: Report, reason: str) -> tuple[str, str] | None:
    """(key, title) of the event, None when there is nothing public to tell."""
    if reason == "report.publish":
        return f"report_published:{report.pk}", _("Nuovo report: %(title)s") % {"title": report.title}
    if reason == "impact.publish":
        if report.impact_status != ImpactStatus.PUBLISHED:
            return None
        return f"impact_published:{report.pk}", _("Impatto aggiornato: %(title)s") % {"title": report.title}
    response = AdministrationResponse.objects.visible().filter(report=report).order_by("-pk").first()
    if response is None:
        return None
    title = _("%(administration)s ha risposto al report «%(title)s»") % {
        "administration": response.administration_name,
        "title": report.title,
    }
    return f"response_added:{response.pk}", title


def record_report_events(*, report_ids: list[int], reason: str) -> int:
    """Notify the followers of each published report; returns the notifications made."""
    kind = REASONS[reason]
    made = 0
    for report in Report.objects.published().filter(pk__in=report_ids):
        event = _event(report, reason)
        if event is None:
            continue
        key, title = event
        url = reverse("public:report_detail", args=[report.pk])
        made += notify_followers(event_kind=kind, title=title, url=url, report_ids=[report.pk], key=key)
    return made
