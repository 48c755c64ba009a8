"""Find a project the way a citizen asks: words, a code, a place name, or "near me".

Used by the project search page and by the start of the new-report flow; both parse their input
and call `project_find` (the search itself stays in `selectors.project_search`).
"""

from dataclasses import dataclass, field

from .models import Project, Territory
from .places import NearbyResult, address_place, place_in_query, projects_near
from .selectors import CUP_RE, SearchResult, project_search


@dataclass
class Finding:
    """What a query found: a search result, the place it named, or projects near a point."""

    result: SearchResult | None = None
    place: Territory | None = None
    other_places: list[Territory] = field(default_factory=list)
    words: str = ""
    near: NearbyResult | None = None
    near_place: Territory | None = None
    address_unknown: bool = False


def _is_code(q: str) -> bool:
    return bool(CUP_RE.match(q.upper().replace(" ", ""))) or Project.objects.filter(code=q).exists()


def project_find(*, q: str = "", page: int = 1, page_size: int = 20, **filters) -> Finding:
    """Words and a place in one box: "Isola di Capo Rizzuto", "scuola Crotone", a CUP, a code.

    The place is looked for only when no territory filter is given: a filter chosen from the
    facets wins over the words.
    """
    q = (q or "").strip()
    words, place, others = q, None, []
    has_territory = any(filters.get(k) for k in ("region", "province", "comune", "place"))
    if q and not has_territory and not _is_code(q):
        found = place_in_query(q)
        if found.place is not None:
            words, place, others = found.words, found.place, found.alternatives
            filters["place"] = place.code
    result = project_search(q=words, page=page, page_size=page_size, **filters)
    return Finding(result=result, place=place, other_places=others, words=words)


def projects_near_find(
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    page: int = 1,
    page_size: int = 20,
) -> Finding:
    """Projects nearest first, from a browser position or a typed address (resolved offline)."""
    place = None
    if latitude is None or longitude is None:
        place = address_place(address)
        if place is None or place.latitude is None:
            return Finding(address_unknown=True)
        latitude, longitude = place.latitude, place.longitude
    near = projects_near(latitude=latitude, longitude=longitude, page=page, page_size=page_size)
    return Finding(near=near, near_place=place)
