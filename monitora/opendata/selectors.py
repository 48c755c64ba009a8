"""Reads of published reports for the reuse channels (open data, API, feeds).

Which reports: `search.selectors.selected_reports(filters)`, the one selector of every channel
(the search index joined to `Report.objects.published()`). What they show of the index (year,
region, harmonised judgements) is annotated here, so a row says what the map and statistics count.
"""

from django.db.models import OuterRef, Subquery

from monitora.reports.models import ReportQuerySet
from monitora.search.models import ReportSearchDocument

# Row attribute -> index column.
INDEXED = {
    "report_year": "year",
    "report_region": "region",
    "report_region_name": "region_name",
    "report_progress": "progress",
    "report_effectiveness": "effectiveness",
}


def with_indexed_facts(reports: ReportQuerySet) -> ReportQuerySet:
    """Reports with their related rows and what the index says of them (null when not indexed)."""
    document = ReportSearchDocument.objects.filter(report_id=OuterRef("pk"))
    return reports.select_related("project", "team", "questionnaire").annotate(
        **{name: Subquery(document.values(column)[:1]) for name, column in INDEXED.items()}
    )
