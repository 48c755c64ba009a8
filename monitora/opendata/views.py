"""Open data pages and downloads. Everything reads through the published-reports gate."""

import datetime as dt
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from monitora.core.pagecache import cached_public_page
from monitora.core.throttle import throttled
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
from .published import forget_current, published_file
from .renderers import FORMATS
from .renderers import render as render_rows

logger = logging.getLogger(__name__)


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
@throttled("opendata")
def datapackage(request: HttpRequest) -> JsonResponse:
    return JsonResponse(datapackage_descriptor(), json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
@throttled("opendata")
def download(request: HttpRequest, filename: str) -> HttpResponseBase:
    """A whole file (written by the scheduled export), or the reports matching the filters of the
    query string (same names as the API), streamed live up to `OPENDATA_LIVE_MAX_ROWS` reports."""
    try:
        exporter_class, fmt = FILES[filename]
    except KeyError:
        raise Http404 from None
    if not request.GET:
        stored = published_file(filename)
        if stored is not None:
            try:
                return _stored_file(request, filename, *stored)
            except FileNotFoundError:
                forget_current()
        logger.warning(
            "open data: no exported files yet, streaming %s live (run export_opendata --publish)", filename
        )
    try:
        filters = parse_report_filters(request.GET)
    except FilterError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    if request.GET and report_select(filters).count() > settings.OPENDATA_LIVE_MAX_ROWS:
        message = _(
            "Troppi report per un download filtrato (al massimo %(max)d): restringi i filtri o scarica "
            "il file completo %(url)s."
        ) % {"max": settings.OPENDATA_LIVE_MAX_ROWS, "url": request.path}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    content_type, _ext = FORMATS[fmt]
    response = StreamingHttpResponse(
        render_rows(exporter_class(filters=filters), fmt), content_type=content_type
    )
    _attachment_headers(response, filename, timezone.localdate())
    response["Cache-Control"] = "public, max-age=600"
    return response


def _attachment_headers(response: HttpResponseBase, filename: str, day: dt.date) -> None:
    stem, _dot, ext = filename.rpartition(".")
    response["Content-Disposition"] = f'attachment; filename="monitora-{stem}-{day.isoformat()}.{ext}"'
    response["Link"] = '<https://creativecommons.org/licenses/by-sa/4.0/>; rel="license"'


def _stored_file(request: HttpRequest, filename: str, name: str, written: dt.datetime) -> HttpResponseBase:
    """The exported file as written, dated by its export (the same bytes for every visitor)."""
    content_type, _ext = FORMATS[FILES[filename][1]]
    etag = f'"{name.replace("/", "-")}"'
    timestamp = int(written.timestamp())
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    _attachment_headers(response, filename, timezone.localdate(written))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = "public, max-age=600"
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
