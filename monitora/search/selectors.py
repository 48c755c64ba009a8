"""Reads of the search index. Everything starts from `published_documents()`, which joins the
index to `Report.objects.published()`: a stale index row can never expose an unpublished report."""

import math
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from monitora.reports.models import Report

from . import fulltext
from .facets import FACETS, FACETS_BY_KEY, Facet, value_label
from .models import ReportSearchDocument
from .params import SORTS, clean_filters, clean_page, clean_sort
from .params import clean_page_size as _clean_page_size
from .text import ParsedQuery, parse_query

MAX_MAP_POINTS = 20_000


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


FACET_VISIBLE_VALUES = 10


@dataclass
class FacetResult:
    key: str
    heading: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def visible(self) -> list[FacetValue]:
        return self.values[:FACET_VISIBLE_VALUES]

    @property
    def hidden(self) -> list[FacetValue]:
        """Values past the first ten, shown folded (provinces run to a hundred)."""
        return self.values[FACET_VISIBLE_VALUES:]

    @property
    def hidden_selected(self) -> bool:
        return any(v.selected for v in self.hidden)


@dataclass
class SearchResult:
    items: list[ReportSearchDocument]
    total: int
    page: int
    page_size: int
    num_pages: int
    sort: str
    query: ParsedQuery
    filters: dict[str, list[str]]
    facets: list[FacetResult]

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def beyond_last_page(self) -> bool:
        return self.total > 0 and self.page > self.num_pages


def published_documents() -> QuerySet:
    return ReportSearchDocument.objects.filter(report__in=Report.objects.published())


def _filtered(documents: QuerySet, filters: dict[str, list[str]], *, skip: str = "") -> QuerySet:
    for key, values in filters.items():
        if key != skip:
            documents = documents.filter(**{f"{FACETS_BY_KEY[key].column}__in": values})
    return documents


def _facet_values(documents: QuerySet, facet: Facet, selected: list[str]) -> list[FacetValue]:
    columns = [facet.column] + ([facet.name_column] if facet.name_column else [])
    if facet.column == "year":
        documents = documents.exclude(year__isnull=True)
    else:
        documents = documents.exclude(**{facet.column: ""})
    merged: dict[str, FacetValue] = {}
    for row in documents.values(*columns).annotate(n=Count("pk")).order_by():
        value = str(row[facet.column])
        name = row.get(facet.name_column, "") if facet.name_column else ""
        if value in merged:
            merged[value].count += row["n"]
        else:
            merged[value] = FacetValue(value, value_label(facet, value, name), row["n"], value in selected)
    for value in selected:
        merged.setdefault(value, FacetValue(value, value_label(facet, value), 0, True))
    if facet.options:
        order = [o.code for o in facet.options]
        return sorted(merged.values(), key=lambda v: order.index(v.value) if v.value in order else 99)
    if facet.column == "year":
        return sorted(merged.values(), key=lambda v: v.value, reverse=True)
    return sorted(merged.values(), key=lambda v: (-v.count, v.label.casefold()))


def report_facets(*, matching: QuerySet, filters: dict[str, list[str]]) -> list[FacetResult]:
    """Counts per facet value; each facet ignores its own filter so values stay selectable (OR)."""
    return [
        FacetResult(
            facet.key,
            str(facet.heading),
            _facet_values(_filtered(matching, filters, skip=facet.key), facet, filters.get(facet.key, [])),
        )
        for facet in FACETS
    ]


def report_search(
    *,
    query: str | ParsedQuery = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = "",
    page: int | str = 1,
    page_size: int | str = 20,
    with_facets: bool = True,
) -> SearchResult:
    """Full-text search over published reports with facet counts. Raises SearchInputError."""
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    filters = clean_filters(filters or {})
    sort = clean_sort(sort, has_query=bool(parsed))
    page = clean_page(str(page))
    page_size = _clean_page_size(str(page_size))
    matching = fulltext.matching(published_documents(), parsed, rank=sort == "rilevanza")
    selected = _filtered(matching, filters)
    total = selected.count()
    num_pages = max(1, math.ceil(total / page_size))
    items: list[ReportSearchDocument] = []
    if page <= num_pages:
        offset = (page - 1) * page_size
        ordered = selected.select_related("report", "report__project", "report__team").order_by(*SORTS[sort])
        items = list(ordered[offset : offset + page_size])
    return SearchResult(
        items=items,
        total=total,
        page=page,
        page_size=page_size,
        num_pages=num_pages,
        sort=sort,
        query=parsed,
        filters=filters,
        facets=report_facets(matching=matching, filters=filters) if with_facets else [],
    )


def report_search_documents(*, query: str | ParsedQuery = "", filters: dict | None = None) -> QuerySet:
    """Published documents matching a query and filters, unordered (map, statistics, exports)."""
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    return _filtered(fulltext.matching(published_documents(), parsed), clean_filters(filters or {}))


def report_map_points(
    *, query: str | ParsedQuery = "", filters: dict | None = None
) -> tuple[list[dict], bool]:
    """Located reports as compact dicts, newest first, capped; returns (points, truncated)."""
    documents = (
        report_search_documents(query=query, filters=filters)
        .exclude(latitude__isnull=True)
        .exclude(longitude__isnull=True)
        .order_by("-published_at", "-report_id")
        .values("report_id", "report__title", "latitude", "longitude", "effectiveness", "location_precision")
    )
    points = list(documents[: MAX_MAP_POINTS + 1])
    return points[:MAX_MAP_POINTS], len(points) > MAX_MAP_POINTS


def report_region_counts(*, query: str | ParsedQuery = "", filters: dict | None = None) -> dict[str, int]:
    rows = (
        report_search_documents(query=query, filters=filters)
        .exclude(region="")
        .values("region")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["region"]: row["n"] for row in rows}
