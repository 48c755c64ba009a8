"""What can be followed, checked and named: a project, a place, a theme, a saved report search.

A target is stored as a string (see `Follow.target`); these functions say whether it exists,
what to call it, where its page and its Atom feed are.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from monitora.catalogue.models import Project
from monitora.catalogue.places import place_by_code
from monitora.search.filters import FilterError, ReportFilters, html_filters
from monitora.search.selectors import theme_label

from .models import Follow

Kind = Follow.Kind


@dataclass(frozen=True)
class Target:
    kind: str
    target: str
    label: str
    page_url: str
    feed_url: str  # "" when there is no feed (a comune: the report filters know no comune)


def search_query(filters: ReportFilters) -> str:
    """The canonical query string of report filters (English names, sorted): one saved search,
    one target, however the page spelled it."""
    pairs = [("q", filters.q)] if filters.q else []
    for name, values in sorted(filters.items()):
        pairs.extend((name, str(v)) for v in sorted(str(v) for v in values))
    return urlencode(pairs)


def search_filters(target: str) -> ReportFilters | None:
    """The filters of a saved search; the page's Italian names (`tema`) are accepted too."""
    try:
        return html_filters(QueryDict(target))
    except FilterError:
        return None


def _project(code: str) -> Target | None:
    project = Project.objects.public().filter(code=code).only("code", "title").first()
    if project is None:
        return None
    label = f"{project.code} · {project.title[:120]}" if project.title else project.code
    return Target(
        Kind.PROJECT,
        code,
        label,
        reverse("public:project_detail", args=[code]),
        reverse("opendata:feed_project", args=[code]),
    )


def _territory(code: str) -> Target | None:
    place = place_by_code(code)
    if place is None:
        return None
    label = f"{place.name} ({place.get_kind_display()})"
    feed = ""
    if place.kind == place.Kind.REGION:
        feed = reverse("opendata:feed_region", args=[code])
    elif place.kind == place.Kind.PROVINCE:
        feed = reverse("opendata:feed_search") + "?" + urlencode({"province": code})
    page = reverse("catalogue:search") + "?" + urlencode({"place": code})
    return Target(Kind.TERRITORY, code, label, page, feed)


def _theme(code: str) -> Target | None:
    name = theme_label(code)
    if not name:
        return None
    page = reverse("search:reports") + "?" + urlencode({"tema": code})
    return Target(
        Kind.THEME,
        code,
        _("Tema: %(name)s") % {"name": name},
        page,
        reverse("opendata:feed_theme", args=[code]),
    )


def _value_names(name: str, values: tuple) -> str:
    """ "Campania", "Tema: Inclusione sociale", "year: 2024": what a person recognises."""
    if name in ("region", "province"):
        return " | ".join(getattr(place_by_code(str(v)), "name", str(v)) for v in values)
    if name == "theme":
        return " | ".join(theme_label(str(v)) or str(v) for v in values)
    return f"{name}: {' | '.join(map(str, values))}"


def _search(query: str) -> Target | None:
    filters = search_filters(query)
    if filters is None or not filters:
        return None
    canonical = search_query(filters)
    summary = ", ".join(
        [f"«{filters.q}»"] * bool(filters.q) + [_value_names(n, v) for n, v in filters.items()]
    )
    return Target(
        Kind.SEARCH,
        canonical,
        _("Ricerca: %(summary)s") % {"summary": summary[:250]},
        reverse("search:reports") + "?" + canonical,
        reverse("opendata:feed_search") + "?" + canonical,
    )


RESOLVERS = {Kind.PROJECT: _project, Kind.TERRITORY: _territory, Kind.THEME: _theme, Kind.SEARCH: _search}


def target_resolve(kind: str, target: str) -> Target | None:
    """The target if it exists (a saved search: if its filters are valid), else None."""
    resolver = RESOLVERS.get(kind)
    target = (target or "").strip()
    if resolver is None or not target or len(target) > 1000:
        return None
    return resolver(target)
