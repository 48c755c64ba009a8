"""Sort keys and paging of the search page; the filters are `filters.ReportFilters`.

Anything outside the allow-lists is a `SearchInputError` with a readable message.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from .filters import ReportFilters, html_filters
from .text import SearchInputError

SORTS = {
    "rilevanza": ("-rank", "-published_at", "-report_id"),
    "recenti": ("-published_at", "-report_id"),
    "meno-recenti": ("published_at", "report_id"),
    "titolo": ("report__title", "report_id"),
}
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
PARAM_QUERY, PARAM_SORT, PARAM_PAGE, PARAM_PAGE_SIZE = "q", "ordine", "pagina", "per_pagina"
LIST_PARAMS = {PARAM_SORT, PARAM_PAGE, PARAM_PAGE_SIZE}


@dataclass
class SearchParams:
    filters: ReportFilters = field(default_factory=ReportFilters)
    sort: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


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
    """Filters (Italian aliases accepted) plus the paging keys in `allowed`; others are refused."""
    filters = html_filters(data, ignore=allowed)
    return SearchParams(
        filters=filters,
        sort=clean_sort(_single(data, PARAM_SORT), has_query=bool(filters.query))
        if PARAM_SORT in allowed
        else "",
        page=clean_page(_single(data, PARAM_PAGE)) if PARAM_PAGE in allowed else 1,
        page_size=clean_page_size(_single(data, PARAM_PAGE_SIZE))
        if PARAM_PAGE_SIZE in allowed
        else DEFAULT_PAGE_SIZE,
    )
