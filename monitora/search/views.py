"""Search page, map data and region layer. Views only parse input and call selectors."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from monitora.catalogue.changes import CATALOGUE_SCOPE
from monitora.core.fragments import cached_fragment, query_name
from monitora.core.pagecache import cached_public_page, is_anonymous_cacheable
from monitora.core.throttle import throttled
from monitora.reports.changes import REPORTS_SCOPE

from . import geo
from .facets import FACETS_BY_KEY, code_label
from .filters import html_filters
from .params import LIST_PARAMS, PARAM_QUERY, PARAM_SORT, SORTS, parse_search_params
from .selectors import report_map_points, report_region_counts, report_search
from .text import SearchInputError

# Effectiveness code -> marker colour (colour-blind safe, with a legend and text in popups).
# The legend swatches repeat these colours in static/search/search.css (.swatch-j<code>).
JUDGEMENT_COLOURS = {"1": "#1a9850", "2": "#fdae61", "3": "#d73027", "4": "#878787", "": "#4575b4"}


def _map_config() -> dict:
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "pointsUrl": reverse("search:map_points"),
        "regionsUrl": reverse("search:map_regions"),
        "reportUrl": reverse("public:report_detail", args=[0]).replace("/0/", "/{id}/"),
        "colours": JUDGEMENT_COLOURS,
        "labels": {code: code_label("efficacia", code) for code in JUDGEMENT_COLOURS if code},
    }


@cached_public_page((REPORTS_SCOPE, CATALOGUE_SCOPE))
@require_GET
@throttled("search")
def report_search_page(request: HttpRequest) -> HttpResponse:
    context = {
        "sorts": SORTS,
        "map_config": _map_config(),
        "raw_query": request.GET.get(PARAM_QUERY, "")[:300],
        # Only an explicit choice is shown selected: the default depends on whether there is a query.
        "requested_sort": request.GET.get(PARAM_SORT, ""),
        # (label, code): the swatch colour is a CSS class (search.css), not an inline style (CSP).
        "legend": [(code_label("efficacia", c) or _("Non indicato"), c or "none") for c in JUDGEMENT_COLOURS],
    }

    def results() -> str:
        params = parse_search_params(request.GET, allowed=LIST_PARAMS)
        result = report_search(params.filters, sort=params.sort, page=params.page, page_size=params.page_size)
        found = {**context, "result": result, "params": params, "facet_keys": list(FACETS_BY_KEY)}
        return render_to_string("search/_results.html", found, request)

    status = 200
    try:
        # Anonymous visitors all get the same results for the same query: kept per query, language
        # and version of the reports and catalogue (`core.fragments`); the follow buttons in them
        # depend on the user, so signed-in users get them fresh.
        if is_anonymous_cacheable(request):
            scopes = (REPORTS_SCOPE, CATALOGUE_SCOPE)
            body = cached_fragment(query_name("search", request), scopes, results)
        else:
            body = results()
    except SearchInputError as error:
        context["error"] = str(error)
        body, status = render_to_string("search/_results.html", context, request), 400
    if request.htmx:
        return HttpResponse(body, status=status)
    return render(request, "search/report_search.html", {**context, "results": body}, status=status)


def _json_error(error: SearchInputError) -> JsonResponse:
    return JsonResponse({"error": str(error)}, status=400, json_dumps_params={"ensure_ascii": False})


@cached_public_page((REPORTS_SCOPE,))
@require_GET
@throttled("search")
def map_points(request: HttpRequest) -> JsonResponse:
    """Compact GeoJSON of located reports: id, title, effectiveness code, location precision."""
    try:
        points, truncated = report_map_points(html_filters(request.GET))
    except SearchInputError as error:
        return _json_error(error)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(p["longitude"], 5), round(p["latitude"], 5)],
            },
            "properties": {
                "id": p["report_id"],
                "t": p["report__title"][:200],
                "j": p["effectiveness"],
                "p": p["location_precision"],
            },
        }
        for p in points
    ]
    response = JsonResponse(
        {"type": "FeatureCollection", "truncated": truncated, "features": features},
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    response["Content-Type"] = "application/geo+json"
    return response


@cached_public_page((REPORTS_SCOPE,))
@require_GET
@throttled("search")
def map_regions(request: HttpRequest) -> JsonResponse:
    """The shipped Italian regions with the number of matching reports in each (works offline)."""
    try:
        counts = report_region_counts(html_filters(request.GET))
    except SearchInputError as error:
        return _json_error(error)
    shipped = geo.regions_geojson()
    collection = {
        "type": "FeatureCollection",
        "features": [
            {**f, "properties": {**f["properties"], "count": counts.get(f["properties"]["code"], 0)}}
            for f in shipped["features"]
        ],
    }
    response = JsonResponse(collection, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Content-Type"] = "application/geo+json"
    return response
