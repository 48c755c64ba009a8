"""Public project search page. Parsing only: the work is in `selectors.project_search`."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from monitora.core.numbers import parse_amount, parse_coordinate
from monitora.core.pagecache import cached_public_page
from monitora.core.pagination import page_number
from monitora.core.throttle import throttled

from .changes import CATALOGUE_SCOPE
from .finding import project_find, projects_near_find
from .selectors import MAX_PAGE_SIZE, SORTS

FILTERS = ("region", "province", "comune", "theme", "cycle", "programme", "state")
# The API's names work here too; the form writes the short ones.
SHORT_NAMES = {"funding_min": "min", "funding_max": "max", "page_size": "size"}


def _name(request: HttpRequest, name: str) -> str:
    """The spelling of `name` the request used (for messages), the form's short one by default."""
    return name if request.GET.get(name) else SHORT_NAMES.get(name, name)


def _param(request: HttpRequest, name: str) -> str:
    return request.GET.get(name) or request.GET.get(SHORT_NAMES.get(name, ""), "")


@cached_public_page((CATALOGUE_SCOPE,))
@require_safe
@throttled("search")
def project_search_page(request: HttpRequest) -> HttpResponse:
    latitude = parse_coordinate(request.GET.get("lat"), name="lat", limit=90)
    longitude = parse_coordinate(request.GET.get("lon"), name="lon", limit=180)
    address = request.GET.get("vicino", "").strip()[:300]
    if (latitude is not None and longitude is not None) or address:
        return _near_page(request, latitude, longitude, address)
    params = {name: request.GET.get(name, "").strip()[:200] or None for name in FILTERS}
    q = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", "relevance")
    funding_min = parse_amount(_param(request, "funding_min"), name=_name(request, "funding_min"))
    funding_max = parse_amount(_param(request, "funding_max"), name=_name(request, "funding_max"))
    page = page_number(request.GET.get("page"))
    page_size = min(
        page_number(_param(request, "page_size"), default=20, name=_name(request, "page_size")), MAX_PAGE_SIZE
    )
    searching = bool(q or any(params.values()) or funding_min or funding_max)
    result = finding = None
    if searching:  # the whole page is cached (anonymous visitors) until the catalogue changes
        finding = project_find(
            q=q,
            **params,
            funding_min=funding_min,
            funding_max=funding_max,
            sort=sort if sort in SORTS else "relevance",
            page=page,
            page_size=page_size,
            facets=True,
        )
        result = finding.result
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "catalogue/search.html",
        {
            "q": q,
            "finding": finding,
            "params": params,
            "sort": sort,
            "result": result,
            "sorts": SORTS,
            "min": _param(request, "funding_min"),
            "max": _param(request, "funding_max"),
            "base_query": urlencode(query),
            "facet_links": _facet_links(result, query) if result else {},
        },
    )


def _facet_links(result, query: dict) -> dict[str, list[dict]]:
    """Facet entries with the link that adds (or removes) that filter."""
    out = {}
    for name, entries in result.facets.items():
        out[name] = []
        for entry in entries:
            selected = query.get(name) == entry["value"]
            args = {k: v for k, v in query.items() if k != name}
            if not selected:
                args[name] = entry["value"]
            out[name].append({**entry, "selected": selected, "query": urlencode(args)})
    return out


def _near_page(request: HttpRequest, latitude: float | None, longitude: float | None, address: str):
    """Projects nearest first: a browser position (lat, lon) or a typed address (vicino)."""
    finding = projects_near_find(
        latitude=latitude,
        longitude=longitude,
        address=address,
        page=page_number(request.GET.get("page")),
    )
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {"finding": finding, "address": address, "base_query": urlencode(query), "near": True}
    return render(request, "catalogue/search.html", context)
