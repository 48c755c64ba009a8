"""Open data pages and streaming downloads. Everything reads through the published-reports gate."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from monitora.core.pagecache import cached_public_page
from monitora.reports.changes import REPORTS_SCOPE
from monitora.search.filters import FilterError, parse_report_filters
from monitora.search.selectors import report_select

from .columns import ALL_REPORT_COLUMNS, OPENCOESIONE_LINK_COLUMNS
from .datapackage import (
    FILES,
    OPENCOESIONE_ATTRIBUTION,
    OPENCOESIONE_LICENCE,
    REPORTS_LICENCE,
    datapackage_descriptor,
)
from .renderers import FORMATS
from .renderers import render as render_rows


@cached_public_page((REPORTS_SCOPE,))
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/index.html",
        {
            "files": FILES,
            "count": report_select().count(),
            "reports_licence": REPORTS_LICENCE,
            "oc_licence": OPENCOESIONE_LICENCE,
            "attribution": OPENCOESIONE_ATTRIBUTION,
        },
    )


@cached_public_page(())
@require_safe
def dictionary(request: HttpRequest) -> HttpResponse:
    groups: dict[str, list] = {}
    for column in ALL_REPORT_COLUMNS:
        groups.setdefault(column.group, []).append(column)
    return render(
        request,
        "opendata/dictionary.html",
        {
            "groups": groups,
            "link_columns": OPENCOESIONE_LINK_COLUMNS,
            "reports_licence": REPORTS_LICENCE,
            "oc_licence": OPENCOESIONE_LICENCE,
            "attribution": OPENCOESIONE_ATTRIBUTION,
        },
    )


@cached_public_page(())
@require_safe
def datapackage(request: HttpRequest) -> JsonResponse:
    return JsonResponse(datapackage_descriptor(), json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def download(request: HttpRequest, filename: str) -> HttpResponse:
    """A whole file, or the reports matching the filters of the query string (same names as the API)."""
    try:
        exporter_class, fmt = FILES[filename]
    except KeyError:
        raise Http404 from None
    try:
        filters = parse_report_filters(request.GET)
    except FilterError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    content_type, _ext = FORMATS[fmt]
    response = StreamingHttpResponse(
        render_rows(exporter_class(filters=filters), fmt), content_type=content_type
    )
    stamp = timezone.localdate().isoformat()
    stem, _dot, ext = filename.rpartition(".")
    response["Content-Disposition"] = f'attachment; filename="monitora-{stem}-{stamp}.{ext}"'
    response["Link"] = '<https://creativecommons.org/licenses/by-sa/4.0/>; rel="license"'
    response["Cache-Control"] = "public, max-age=600"
    return response
