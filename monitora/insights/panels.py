"""The insight panels of a report page, read together so that they share their queries.

The timeline reads the project's published reports and their replies anyway: the same rows give
the "same project" list of the similar-reports panel and the page's own official responses.
"""

from dataclasses import dataclass
from typing import Any

from monitora.reports.models import Report

from .similarity import PANEL_SIZE, similar_reports
from .timeline import timeline_events, timeline_reports, timeline_responses


@dataclass(frozen=True)
class ReportRef:
    """A report as the panels link it: `pk` and `title`, like the `Report` they stand for."""

    pk: int
    title: str


def report_panels(report: Report) -> dict[str, Any]:
    """Context of `public/_report_article.html`: timeline, official responses, similar reports.

    `report` is the page's, read through the published gate: without a catalogue project the
    timeline tells only of it, and its row is the one already read."""
    project = report.project if report.project_id else None
    if project is None:
        rows = [{"id": report.pk, "title": report.title, "published_at": report.published_at}]
    else:
        rows = timeline_reports(project)
    responses = timeline_responses(rows)
    same = None
    if project is not None:  # rows are the project's reports, newest first (`Report.Meta.ordering`)
        same = [ReportRef(r["id"], r["title"]) for r in rows if r["id"] != report.pk][:PANEL_SIZE]
    return {
        "timeline": timeline_events(project, rows, responses),
        "official_responses": [r for r in responses if r.report_id == report.pk],
        **similar_reports(report, same_project=same),
    }
