"""Every facet's value counts, the total and a page of the documents in ONE query, on PostgreSQL
and SQLite alike.

The search page used to run one GROUP BY per facet (nine queries) plus a COUNT, each over the
same documents filtered again, then the page of results. Here the documents matching the query
and the non-facet filters are compiled once (a CTE `d`), each row carrying its facet values and,
per ticked facet, whether it matches that facet's filter. The rows are crossed with one line per
facet (a constant VALUES list: portable, unlike GROUPING SETS) and grouped by (facet, value,
name). A facet's line keeps a row when the row matches every ticked facet except its own, as
`report_select(filters.without(param))` would; the extra "total" line needs them all, as
`report_select(filters)` does. The page (`PageWanted`), rows of `d` matching them all too, is
appended with UNION ALL: one ORM compilation and one round trip for the whole search.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from .facets import Facet

PAGE_LINE = -1  # the `facet` of the page's rows


@dataclass(frozen=True)
class FacetRow:
    value: str
    name: str
    count: int


@dataclass(frozen=True)
class PageWanted:
    """A page of the documents: `columns` of theirs, ordered by `order` (`QuerySet.order_by` keys
    of selected columns or annotations, "-" for descending)."""

    columns: Sequence[str]
    order: Sequence[str]
    limit: int
    offset: int


@dataclass
class FacetCounts:
    total: int
    rows: list[list[FacetRow]]  # per facet, in the order given
    page: list[tuple] = field(default_factory=list)  # values of `PageWanted.columns`, in order


def _value(facet: Facet) -> str:
    # One text type for every line of the CASE (the year is a number).
    return f"CAST(d.{facet.column} AS TEXT)" if facet.column == "year" else f"d.{facet.column}"


def _case(lines: str) -> str:
    return f"CASE k.column1 {lines}ELSE '' END" if lines else "''"


def _order(keys: Sequence[str], table: str) -> str:
    """`QuerySet.order_by` keys ("-rank") as SQL on the columns of `table`."""
    return ", ".join(f"{table}.{k.lstrip('-')} {'DESC' if k.startswith('-') else 'ASC'}" for k in keys)


def _page_sql(page: PageWanted, conditions: Sequence[int]) -> str:
    """The page's rows as lines of the counts: (PAGE_LINE, '', '', position, *columns).

    The position (ROW_NUMBER over the same order, of the page's rows only: the documents are
    sorted once, keeping the page's) carries the order, which a UNION does not promise.
    """
    columns = ", ".join(f"s.{c}" for c in page.columns)
    keep = " AND ".join(f"d.m{i}" for i in conditions) or "1 = 1"
    return (
        f" UNION ALL SELECT {PAGE_LINE}, '', '', ROW_NUMBER() OVER (ORDER BY {_order(page.order, 's')}), "  # noqa: S608 - constant SQL
        f"{columns} FROM (SELECT * FROM d WHERE {keep} ORDER BY {_order(page.order, 'd')} "
        "LIMIT %s OFFSET %s) s"
    )


def facet_counts(
    documents: QuerySet,
    facets: Sequence[Facet],
    conditions: dict[int, Q],
    *,
    page: PageWanted | None = None,
) -> FacetCounts:
    """Counts of `documents` per value of each facet; `conditions` maps a facet's index to its filter.

    Facet i counts the documents matching every condition but its own (so its values stay
    selectable); `total` counts those matching all. Empty values (and no year) are not counted.
    A condition whose index is past the facets given applies to every line. With `page`, the
    documents matching every condition, that page of them, in the same query.
    The inner query selects the plain columns (no per-request annotations but the conditions):
    compiling nine casts and constants per request cost more than the counting itself.
    """
    extra = page.columns if page else ()
    columns = list(
        dict.fromkeys(
            [
                *(c for f in facets for c in (f.column, f.name_column) if c),
                *extra,
                *(k.removeprefix("-") for k in (page.order if page else ())),
            ]
        )
    )
    matches = {
        f"m{i}": ExpressionWrapper(condition, output_field=BooleanField())
        for i, condition in conditions.items()
    }
    inner = documents.order_by().values(*columns, **matches)
    sql, params = inner.query.get_compiler(using=inner.db).as_sql()

    total = len(facets)
    lines = ", ".join(f"({i})" for i in range(total + 1))
    value = "".join(f"WHEN {i} THEN {_value(facet)} " for i, facet in enumerate(facets))
    name = "".join(
        f"WHEN {i} THEN d.{facet.name_column} " for i, facet in enumerate(facets) if facet.name_column
    )
    lines_kept = (f"(k.column1 = {i} OR d.m{i})" if i < total else f"d.m{i}" for i in conditions)
    keep = " AND ".join(lines_kept) or "1 = 1"
    padding = ", NULL" * len(extra)
    query = (
        f"WITH d AS ({sql}) "  # noqa: S608 - constant SQL around compiled ORM SQL
        f"SELECT facet, value, name, COUNT(*){padding} FROM ("
        f"SELECT k.column1 AS facet, {_case(value)} AS value, {_case(name)} AS name "
        f"FROM d CROSS JOIN (VALUES {lines}) k WHERE {keep}"
        f") u WHERE facet = {total} OR value <> '' GROUP BY facet, value, name"
    )
    if page:
        query += _page_sql(page, list(conditions))
        params = (*params, page.limit, page.offset)
    counts = FacetCounts(total=0, rows=[[] for _ in facets])
    listed = []
    with connections[inner.db].cursor() as cursor:
        cursor.execute(query, params)
        for index, value_, name_, n, *rest in cursor.fetchall():
            if index == PAGE_LINE:
                listed.append((n, rest))
            elif index == total:
                counts.total = n
            else:
                counts.rows[index].append(FacetRow(value_, name_ or "", n))
    counts.page = [tuple(row) for _position, row in sorted(listed, key=lambda line: line[0])]
    return counts
