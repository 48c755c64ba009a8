"""Reads of the search index: the one report selector of every public channel.

Everything starts from `_published_documents()`, which joins the index to its reports and keeps
the published ones (`reports.models.published_q`, the condition of `Report.objects.published()`):
a stale index row can never expose an unpublished report.
`report_select(filters)` applies a `filters.ReportFilters`; the channels that render Report rows
(API, feeds, open data) take `selected_reports(filters)`, i.e. the reports of those documents.
"""

from dataclasses import dataclass, field, replace
from functools import cache, reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from monitora.catalogue.models import Project
from monitora.core.pagination import PageWindow
from monitora.reports.models import Answer, Report, ReportQuerySet, published_q

from . import fulltext
from .facetcounts import FacetCounts, FacetRow, PageWanted, facet_counts
from .facets import FACETS, FACETS_BY_PARAM, ClosedAnswerLabels, Facet, value_label
from .filters import ReportFilters
from .models import ReportSearchDocument
from .params import SORTS, clean_page, clean_page_size, clean_sort
from .text import ParsedQuery

MAX_MAP_POINTS = 20_000
# What a result in the list shows (`search/_results.html`): not the text (kilobytes a row) nor
# the project and team, which the list does not show. The title is the report's (the gate's join).
LISTED_COLUMNS = (
    "report_id",
    "report__title",
    "region_name",
    "province_name",
    "theme_name",
    "year",
    "progress",
    "effectiveness",
    "overall",
)


@dataclass(frozen=True)
class ListedReport(ClosedAnswerLabels):
    """A result in the search page's list, read as a plain row (no model instances)."""

    report_id: int
    title: str
    region_name: str
    province_name: str
    theme_name: str
    year: int | None
    progress: str
    effectiveness: str
    overall: str


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
class SearchResult(PageWindow):
    items: list[ListedReport]
    sort: str
    filters: ReportFilters
    facets: list[FacetResult]

    @property
    def query(self) -> ParsedQuery:
        return self.filters.query

    @property
    def selected_filter_count(self) -> int:
        """Ticked facet values, shown on the folded filter panel of a phone."""
        return sum(v.selected for facet in self.facets for v in facet.values)


@cache
def _published_gate() -> QuerySet:
    # Built once per process, as a class-based view's `queryset` is: the filter reads no request.
    # A join rather than `report__in=Report.objects.published()`: the page of results reads the
    # title through it, and PostgreSQL plans the join and a subquery on the same table slower.
    return ReportSearchDocument.objects.filter(published_q("report__"))


def _published_documents() -> QuerySet:
    """The index rows of published reports: the gate every read here starts from.

    A fresh clone (`.all()`) of the queryset built once: building the subquery again was a tenth
    of a search's Python time.
    """
    return _published_gate().all()


def project_reports_q(code: str, *, prefix: str = "") -> Q:
    """The reports of a project: linked to it, or carrying its code when linked to no project."""
    return Q(**{f"{prefix}project__code": code}) | Q(
        **{f"{prefix}project__isnull": True, f"{prefix}project_code": code}
    )


def project_report_counts(codes: list[str]) -> dict[str, int]:
    """Published reports per project code, by the rule of `project_reports_q` (two GROUP BYs)."""
    documents = _published_documents()
    counts: dict[str, int] = {}
    for column, extra in (
        ("report__project__code", {}),
        ("report__project_code", {"report__project__isnull": True}),
    ):
        rows = documents.filter(**{f"{column}__in": codes}, **extra).values(column).annotate(n=Count("pk"))
        for row in rows.order_by():
            counts[row[column]] = counts.get(row[column], 0) + row["n"]
    return counts


def _any_name(column: str, values: tuple[str, ...]) -> Q:
    """A theme or cycle given by code (the facet value) or by its name, any case."""
    return Q(**{f"{column}__in": values}) | reduce(or_, (Q(**{f"{column}_name__iexact": v}) for v in values))


def _condition(name: str, values: tuple) -> Q:
    """The documents matching one filter: what `_filtered` and the facet counts both apply."""
    if name in ("theme", "cycle"):
        return _any_name(name, values)
    if name in FACETS_BY_PARAM:
        return Q(**{f"{FACETS_BY_PARAM[name].column}__in": values})
    if name == "results_judgement":
        answers = Answer.objects.filter(
            report_id=OuterRef("report_id"),
            question__key="valutazione_risultati",
            option__code__in=values,
        )
        return Q(Exists(answers))
    if name == "questionnaire":
        return Q(report__questionnaire__code__in=values)
    if name == "project_code":
        return reduce(or_, (project_reports_q(v, prefix="report__") for v in values))
    raise ValueError(name)


def _filtered(documents: QuerySet, filters: ReportFilters) -> QuerySet:
    for name, values in filters.items():
        documents = documents.filter(_condition(name, values))
    return documents


def report_select(filters: ReportFilters | None = None, *, rank: bool = False) -> QuerySet:
    """The published documents matching `filters`, unordered: the one selector of every channel."""
    filters = filters or ReportFilters()
    return _filtered(fulltext.matching(_published_documents(), filters.query, rank=rank), filters)


def selected_reports(filters: ReportFilters | None = None) -> ReportQuerySet:
    """The published reports that `report_select` finds, for channels that render Report rows."""
    return Report.objects.published().filter(pk__in=report_select(filters).values("report_id"))


def _facet_values(facet: Facet, rows: list[FacetRow], selected: list[str]) -> list[FacetValue]:
    merged: dict[str, FacetValue] = {}
    # A value indexed both with and without a name is labelled by the name (rows with one first).
    for row in sorted(rows, key=lambda r: not r.name):
        if row.value in merged:
            merged[row.value].count += row.count
        else:
            merged[row.value] = FacetValue(
                row.value, value_label(facet, row.value, row.name), row.count, row.value in selected
            )
    for value in selected:
        merged.setdefault(value, FacetValue(value, value_label(facet, value), 0, True))
    if facet.options:
        order = [o.code for o in facet.options]
        return sorted(merged.values(), key=lambda v: order.index(v.value) if v.value in order else 99)
    if facet.column == "year":
        return sorted(merged.values(), key=lambda v: v.value, reverse=True)
    return sorted(merged.values(), key=lambda v: (-v.count, v.label.casefold()))


def _without_facets(filters: ReportFilters) -> ReportFilters:
    """`filters` but the facets: what the search's counts and page start from (the facets are columns)."""
    return replace(filters, **{facet.param: () for facet in FACETS})


def _facet_results(counts: FacetCounts, filters: ReportFilters) -> list[FacetResult]:
    return [
        FacetResult(
            facet.key,
            str(facet.heading),
            _facet_values(facet, rows, [str(v) for v in getattr(filters, facet.param)]),
        )
        for facet, rows in zip(FACETS, counts.rows, strict=True)
    ]


def report_search(
    filters: ReportFilters | None = None,
    *,
    sort: str = "",
    page: int | str = 1,
    page_size: int | str = 20,
    with_facets: bool = True,
) -> SearchResult:
    """Full-text search over published reports with facet counts. Raises SearchInputError.

    The facet counts (or, `with_facets=False`, the total alone) and the page of results are one
    query (`facetcounts`) over the filters but the facets, each facet's filter a column, compiled
    once: building and compiling the ORM queries cost more than running them.
    """
    filters = filters or ReportFilters()
    sort = clean_sort(sort, has_query=bool(filters.query))
    page = clean_page(str(page))
    page_size = clean_page_size(str(page_size))
    base = report_select(_without_facets(filters), rank=sort == "rilevanza")
    # Each facet ignores its own filter so its values stay selectable (OR within a facet).
    conditions = {
        i: _condition(facet.param, getattr(filters, facet.param))
        for i, facet in enumerate(FACETS)
        if getattr(filters, facet.param)
    }
    wanted = PageWanted(LISTED_COLUMNS, SORTS[sort], page_size, PageWindow(page, page_size, 0).start)
    counts = facet_counts(base, FACETS if with_facets else (), conditions, page=wanted)
    return SearchResult(
        page=page,
        page_size=page_size,
        total=counts.total,
        items=[ListedReport(*row) for row in counts.page],  # none past the last page
        sort=sort,
        filters=filters,
        facets=_facet_results(counts, filters) if with_facets else [],
    )


def report_map_points(filters: ReportFilters | None = None) -> tuple[list[dict], bool]:
    """Located reports as compact dicts, newest first, capped; returns (points, truncated)."""
    documents = (
        report_select(filters)
        .exclude(latitude__isnull=True)
        .exclude(longitude__isnull=True)
        .order_by("-published_at", "-report_id")
        .values("report_id", "report__title", "latitude", "longitude", "effectiveness", "location_precision")
    )
    points = list(documents[: MAX_MAP_POINTS + 1])
    return points[:MAX_MAP_POINTS], len(points) > MAX_MAP_POINTS


def report_region_counts(filters: ReportFilters | None = None) -> dict[str, int]:
    rows = report_select(filters).exclude(region="").values("region").annotate(n=Count("pk")).order_by()
    return {row["region"]: row["n"] for row in rows}


def theme_label(code: str) -> str:
    """The name of a theme code as the reports know it (index), else as the catalogue does ("": unknown).

    Reports carry the theme of their project, or of the snapshot when the catalogue row has none
    (the demo catalogue has names without codes), so the index is asked first.
    """
    name = (
        ReportSearchDocument.objects.filter(theme=code)
        .exclude(theme_name="")
        .values_list("theme_name", flat=True)
        .first()
    )
    if name:
        return name
    return (
        Project.objects.filter(theme_code=code).exclude(theme="").values_list("theme", flat=True).first()
        or ""
    )
