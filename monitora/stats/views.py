"""The statistics page and one CSV per chart. Same filters (allow-listed) as the report search."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from monitora.core.fragments import cached_fragment, query_name
from monitora.core.pagecache import cached_public_page
from monitora.core.throttle import throttled
from monitora.opendata.renderers import EXCEL_IT, PLAIN
from monitora.reports.changes import REPORTS_SCOPE
from monitora.search.filters import html_filters
from monitora.search.text import SearchInputError

from .csvexport import table_csv
from .selectors import BUILDERS, Table, statistics_page_data, stats_table

PALETTE = ["#1a9850", "#fdae61", "#d73027", "#878787", "#4575b4", "#91bfdb", "#762a83", "#5aae61", "#bdbdbd"]


def _chart(table: Table) -> dict:
    labels = [str(row[0]) for row in table.rows]
    if table.chart == "stacked":
        datasets = [
            {"label": column, "data": [row[i] for row in table.rows], "backgroundColor": PALETTE[(i - 1) % 9]}
            for i, column in enumerate(table.columns[1:], start=1)
        ]
    else:
        datasets = [
            {"label": table.columns[1], "data": [row[1] for row in table.rows], "backgroundColor": "#0b5cad"}
        ]
    return {"type": table.chart, "labels": labels, "datasets": datasets}


@cached_public_page((REPORTS_SCOPE,))
@require_GET
@throttled("search")
def statistics_page(request: HttpRequest) -> HttpResponse:
    try:
        filters = html_filters(request.GET)
    except SearchInputError as error:
        return render(request, "stats/statistics.html", {"error": str(error)}, status=400)

    def content() -> str:
        tables, discrepancies = statistics_page_data(filters)
        context = {
            "tables": tables,
            "discrepancy_counts": discrepancies,
            "charts": {t.slug: _chart(t) for t in tables},
            "filters": bool(filters),
            "query_string": request.GET.urlencode(),
        }
        return render_to_string("stats/_statistics_content.html", context, request)

    # The same for every visitor: kept per filters and version of the reports (`core.fragments`),
    # so that a page-cache miss (another language, the cache off) does not count everything again.
    fragment = cached_fragment(query_name("statistics", request), (REPORTS_SCOPE,), content)
    return render(request, "stats/statistics.html", {"content": fragment})


@cached_public_page((REPORTS_SCOPE,))
@require_GET
@throttled("search")
def statistics_csv(request: HttpRequest, slug: str, excel: bool = False) -> HttpResponse:
    """One table as CSV; `excel` is the "Excel in italiano" variant (`;`, decimal comma, BOM)."""
    if slug not in BUILDERS:
        raise Http404("tabella sconosciuta")
    try:
        filters = html_filters(request.GET)
    except SearchInputError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    table = stats_table(slug, filters)
    text = table_csv(table.columns, table.rows, dialect=EXCEL_IT if excel else PLAIN)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    suffix = "-excel" if excel else ""
    response["Content-Disposition"] = f'attachment; filename="monitora-statistiche-{slug}{suffix}.csv"'
    return response
