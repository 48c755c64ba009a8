"""Finding projects by place: a comune, province or region named in the query, or "near me".

Names are compared folded (case, accents, apostrophes and hyphens ignored: "Citta di Castello",
"Sant Agata", "reggio nell emilia"). A place covers its children: a province finds the projects
linked to it or to any of its comuni, a region those of its provinces and comuni too. "Near me"
works offline: a browser position, or a typed address resolved to the comune it names (the
shipped ISTAT centroids, loaded into `Territory` by `load_territories`).
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Max

from monitora.core.pagination import PageWindow

from .models import Project, Territory

KIND_ORDER = (Territory.Kind.MUNICIPALITY, Territory.Kind.PROVINCE, Territory.Kind.REGION)
KIND_BY_WIDTH = {2: Territory.Kind.REGION, 3: Territory.Kind.PROVINCE, 6: Territory.Kind.MUNICIPALITY}
# A query "scuola Crotone" is words plus a place: place names of up to this many words are tried.
MAX_PLACE_WORDS = 6
# "Near me": comuni looked at, nearest first, and how far (km) a position may be from them.
NEAR_COMUNI = 60
NEAR_MAX_KM = 150.0
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def place_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(plain))


@lru_cache(maxsize=4)
def _index(version: tuple) -> dict[str, list[tuple[int, str]]]:
    """Folded name -> [(territory id, kind)], built once per version of the territory table."""
    out: dict[str, list[tuple[int, str]]] = {}
    for pk, kind, name in Territory.objects.values_list("id", "kind", "name").order_by():
        for part in {name, *name.split("/")}:  # "Bolzano/Bozen" is found by either name
            key = place_key(part)
            if key:
                out.setdefault(key, []).append((pk, kind))
    return out


def _names() -> dict[str, list[tuple[int, str]]]:
    version = tuple(Territory.objects.aggregate(n=Count("id"), top=Max("id")).values())
    return _index(version)


def places_named(text: str, names: dict | None = None) -> list[Territory]:
    """Territories called `text`, comuni first (Torino the comune, then Torino the province)."""
    hits = (names if names is not None else _names()).get(place_key(text), [])
    found = Territory.objects.filter(id__in=[pk for pk, _kind in hits]).select_related("parent")
    return sorted(found, key=lambda t: (KIND_ORDER.index(t.kind), t.name, t.code))


def place_by_code(code: str) -> Territory | None:
    """A territory from its ISTAT code (2 digits region, 3 province, 6 comune)."""
    code = (code or "").strip()
    kind = KIND_BY_WIDTH.get(len(code))
    if not kind or not code.isdigit():
        return None
    return Territory.objects.filter(kind=kind, code=code).select_related("parent").first()


def place_subtree_ids(place: Territory) -> list[int]:
    """The place and everything inside it (a region's provinces and comuni)."""
    ids, frontier = [place.pk], [place.pk]
    while frontier:
        frontier = list(Territory.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return ids


def place_project_ids(place: Territory):
    """Subquery of the ids of the projects located in `place` (or inside it)."""
    links = Project.territories.through.objects.filter(territory_id__in=place_subtree_ids(place))
    return links.values("project_id")


def place_has_projects(place: Territory) -> bool:
    return Project.objects.public().filter(id__in=place_project_ids(place)).exists()


@dataclass
class PlaceQuery:
    """A query split into a place and the remaining words (`place` None: no place named)."""

    words: str
    place: Territory | None = None
    alternatives: list[Territory] = field(default_factory=list)


def _best(candidates: list[Territory]) -> tuple[Territory, list[Territory]]:
    """Of places sharing a name, the most precise one with projects (else the most precise)."""
    with_projects = [t for t in candidates if place_has_projects(t)]
    best = (with_projects or candidates)[0]
    return best, [t for t in candidates if t.pk != best.pk]


def place_in_query(q: str) -> PlaceQuery:
    """The place named by the whole query, or by its last (else first) words: "scuola Crotone"."""
    q = (q or "").strip()
    tokens = q.split()
    if not tokens:
        return PlaceQuery(words=q)
    names = _names()
    whole = places_named(q, names)
    if whole:
        best, others = _best(whole)
        return PlaceQuery(words="", place=best, alternatives=others)
    for size in range(min(MAX_PLACE_WORDS, len(tokens) - 1), 0, -1):
        for place_words, rest in ((tokens[-size:], tokens[:-size]), (tokens[:size], tokens[size:])):
            found = places_named(" ".join(place_words), names)
            if found:
                best, others = _best(found)
                return PlaceQuery(words=" ".join(rest), place=best, alternatives=others)
    return PlaceQuery(words=q)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular approximation: exact enough at the scale of a country.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def address_place(text: str) -> Territory | None:
    """The comune (else province, region) an address names, offline: "Via Roma 3, 88900 Crotone".

    Tries each comma-separated part, last first (addresses end with the town), then any run of
    words in the whole text, longest first.
    """
    names = _names()
    parts = [p for p in re.split(r"[,;\n]", text or "") if p.strip()]
    for part in reversed(parts):
        cleaned = " ".join(w for w in part.split() if not w.isdigit() and not w.startswith("("))
        found = places_named(cleaned, names)
        if found:
            return found[0]
    tokens = [w for w in place_key(text).split() if not w.isdigit()]
    for size in range(min(MAX_PLACE_WORDS, len(tokens)), 0, -1):
        for start in range(len(tokens) - size, -1, -1):
            found = places_named(" ".join(tokens[start : start + size]), names)
            if found:
                return found[0]
    return None


@dataclass
class NearbyProject:
    project: Project
    place: Territory
    km: float


@dataclass
class NearbyResult(PageWindow):
    results: list[NearbyProject] = field(default_factory=list)


def _links_near(km_by_id: dict[int, float]) -> list[tuple[int, int]]:
    """(territory id, project id) of public projects in these places, nearest place first."""
    public = Project.objects.public().values("id")
    links = Project.territories.through.objects.filter(territory_id__in=list(km_by_id), project_id__in=public)
    rows = links.values_list("territory_id", "project_id", "project__code").order_by()
    seen: set[int] = set()
    ordered = []
    for territory_id, project_id, _code in sorted(rows, key=lambda r: (km_by_id[r[0]], r[2])):
        if project_id not in seen:  # a project in two nearby places is listed at the nearest
            seen.add(project_id)
            ordered.append((territory_id, project_id))
    return ordered


def projects_near(*, latitude: float, longitude: float, page: int = 1, page_size: int = 20) -> NearbyResult:
    """Public projects in the places nearest to a point (comuni, and provinces by their centre),
    nearest first, then by code.

    Bounded work: one pass over ~8,000 centroids, then the links of the nearest NEAR_COMUNI places,
    widened four times at a time (up to NEAR_MAX_KM) until the requested page is filled.
    """
    page, page_size = max(1, int(page)), max(1, min(int(page_size), 100))
    kinds = (Territory.Kind.MUNICIPALITY, Territory.Kind.PROVINCE)
    places = Territory.objects.filter(kind__in=kinds, latitude__isnull=False, longitude__isnull=False)
    distances = sorted(
        (km, pk)
        for pk, lat, lon in places.values_list("id", "latitude", "longitude").order_by()
        if (km := _km(latitude, longitude, lat, lon)) <= NEAR_MAX_KM
    )
    wanted, size = page * page_size, NEAR_COMUNI
    while True:
        km_by_id = {pk: km for km, pk in distances[:size]}
        ordered = _links_near(km_by_id)
        if len(ordered) > wanted or size >= len(distances):
            break
        size *= 4
    result = NearbyResult(page=page, page_size=page_size, total=len(ordered))
    window = ordered[result.start : result.stop]
    projects = Project.objects.in_bulk([p for _t, p in window])
    territories = Territory.objects.select_related("parent").in_bulk([t for t, _p in window])
    result.results = [NearbyProject(projects[p], territories[t], round(km_by_id[t], 1)) for t, p in window]
    return result
