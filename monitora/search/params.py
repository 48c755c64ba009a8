"""Validation of search input: the allow-lists of filters, sort keys and paging.

Every channel (HTML page, map GeoJSON, statistics, API) passes user input through these
functions; anything outside the allow-lists is a `SearchInputError` with a readable message.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from .facets import FACETS_BY_KEY
from .text import ParsedQuery, SearchInputError, parse_query

SORTS = {
    "rilevanza": ("-rank", "-published_at", "-report_id"),
    "recenti": ("-published_at", "-report_id"),
    "meno-recenti": ("published_at", "report_id"),
    "titolo": ("report__title", "report_id"),
}
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
MAX_VALUES_PER_FILTER = 20
PARAM_QUERY, PARAM_SORT, PARAM_PAGE, PARAM_PAGE_SIZE = "q", "ordine", "pagina", "per_pagina"
LIST_PARAMS = {PARAM_QUERY, PARAM_SORT, PARAM_PAGE, PARAM_PAGE_SIZE}


@dataclass
class SearchParams:
    query: ParsedQuery = field(default_factory=ParsedQuery)
    raw_query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "recenti"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def clean_filters(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for key, values in filters.items():
        facet = FACETS_BY_KEY.get(key)
        if facet is None:
            raise SearchInputError(
                _("Filtro sconosciuto «%(key)s». Filtri ammessi: %(allowed)s.")
                % {"key": _short(key), "allowed": ", ".join(FACETS_BY_KEY)}
            )
        kept: list[str] = []
        for value in values:
            value = value.strip()
            if not value:
                continue
            if not facet.pattern.match(value):
                raise SearchInputError(
                    _("Valore non valido per il filtro «%(key)s»: «%(value)s».")
                    % {"key": key, "value": _short(value)}
                )
            if value not in kept:
                kept.append(value)
        if len(kept) > MAX_VALUES_PER_FILTER:
            raise SearchInputError(
                _("Troppi valori per il filtro «%(key)s»: al massimo %(max)d.")
                % {"key": key, "max": MAX_VALUES_PER_FILTER}
            )
        if kept:
            cleaned[key] = kept
    return cleaned


def clean_sort(sort: str, *, has_query: bool) -> str:
    if not sort:
        return "rilevanza" if has_query else "recenti"
    if sort not in SORTS:
        raise SearchInputError(
            _("Ordinamento sconosciuto «%(sort)s». Valori ammessi: %(allowed)s.")
            % {"sort": _short(sort), "allowed": ", ".join(SORTS)}
        )
    return "recenti" if sort == "rilevanza" and not has_query else sort


def _positive_int(raw: str, name: str) -> int:
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise SearchInputError(
            _("Il parametro «%(name)s» deve essere un numero intero positivo.") % {"name": name}
        )
    return int(raw)


def clean_page(raw: str) -> int:
    if not raw:
        return 1
    page = _positive_int(raw, PARAM_PAGE)
    if page > MAX_PAGE:
        raise SearchInputError(_("Numero di pagina troppo alto: al massimo %(max)d.") % {"max": MAX_PAGE})
    return page


def clean_page_size(raw: str) -> int:
    """Sizes above the cap are reduced to it rather than refused."""
    if not raw:
        return DEFAULT_PAGE_SIZE
    return min(_positive_int(raw, PARAM_PAGE_SIZE), MAX_PAGE_SIZE)


def _single(data: QueryDict, name: str) -> str:
    values = data.getlist(name)
    if len(values) > 1:
        raise SearchInputError(_("Il parametro «%(name)s» compare più di una volta.") % {"name": name})
    return values[0] if values else ""


def parse_search_params(data: QueryDict, *, allowed: set[str] = LIST_PARAMS) -> SearchParams:
    """Turn a query string into validated parameters; `allowed` names the non-filter keys."""
    unknown = [k for k in data if k not in allowed and k not in FACETS_BY_KEY]
    if unknown:
        raise SearchInputError(
            _("Parametro sconosciuto «%(name)s». Filtri ammessi: %(allowed)s.")
            % {"name": _short(unknown[0]), "allowed": ", ".join(FACETS_BY_KEY)}
        )
    raw_query = _single(data, PARAM_QUERY) if PARAM_QUERY in allowed else ""
    query = parse_query(raw_query)
    return SearchParams(
        query=query,
        raw_query=raw_query,
        filters=clean_filters({k: data.getlist(k) for k in data if k in FACETS_BY_KEY}),
        sort=clean_sort(_single(data, PARAM_SORT), has_query=bool(query)) if PARAM_SORT in allowed else "",
        page=clean_page(_single(data, PARAM_PAGE)) if PARAM_PAGE in allowed else 1,
        page_size=clean_page_size(_single(data, PARAM_PAGE_SIZE))
        if PARAM_PAGE_SIZE in allowed
        else DEFAULT_PAGE_SIZE,
    )
