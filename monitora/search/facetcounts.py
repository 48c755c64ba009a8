"""Every facet's value counts and the total in ONE query, on PostgreSQL and SQLite alike.

The search page used to run one GROUP BY per facet (nine queries) plus a COUNT, each over the
same documents filtered again. Here the documents matching the query and the non-facet filters
are read once, each row carrying its facet values and, per ticked facet, whether it matches that
facet's filter. The rows are crossed with one line per facet (a constant VALUES list: portable,
unlike GROUPING SETS) and grouped by (facet, value, name). A facet's line keeps a row when the
row matches every ticked facet except its own, as `report_select(filters.without(param))` would;
the extra "total" line needs them all, as `report_select(filters)` does.

The compiled SELECT of the documents is kept (`FacetCounts.matched`), so the search page reads its
page of results from the same SQL instead of compiling the ORM query a second time.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from .facets import Facet


@dataclass(frozen=True)
class FacetRow:
    value: str
    name: str
    count: int


@dataclass(frozen=True)
class MatchedSQL:
    """The documents' compiled SELECT: their facet columns, the `extra` ones, and a boolean
    column m<i> per condition i (whether the row matches that facet's filter)."""

    sql: str
    params: tuple
    using: str
    conditions: tuple[int, ...]

    @property
    def all_conditions(self) -> str:
        """SQL on the rows `d` of `sql`: those matching every condition (the total's line)."""
        return " AND ".join(f"d.m{i}" for i in self.conditions) or "1 = 1"


@dataclass
class FacetCounts:
    total: int
    rows: list[list[FacetRow]]  # per facet, in the order given
    matched: MatchedSQL


def _value(facet: Facet) -> str:
    # One text type for every line of the CASE (the year is a number).
    return f"CAST(d.{facet.column} AS TEXT)" if facet.column == "year" else f"d.{facet.column}"


def _case(lines: str) -> str:
    return f"CASE k.column1 {lines}ELSE '' END" if lines else "''"


def facet_counts(
    documents: QuerySet, facets: Sequence[Facet], conditions: dict[int, Q], *, extra: Sequence[str] = ()
) -> FacetCounts:
    """Counts of `documents` per value of each facet; `conditions` maps a facet's index to its filter.

    Facet i counts the documents matching every condition but its own (so its values stay
    selectable); `total` counts those matching all. Empty values (and no year) are not counted.
    A condition whose index is past the facets given applies to every line. `extra` columns (or
    annotations) of `documents` are selected too, for readers of `FacetCounts.matched`.
    The inner query selects the plain columns (no per-request annotations but the conditions):
    compiling nine casts and constants per request cost more than the counting itself.
    """
    columns = list(dict.fromkeys([*(c for f in facets for c in (f.column, f.name_column) if c), *extra]))
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
    query = (
        "SELECT facet, value, name, COUNT(*) FROM ("  # noqa: S608 - constant SQL around compiled ORM SQL
        f"SELECT k.column1 AS facet, {_case(value)} AS value, {_case(name)} AS name "
        f"FROM ({sql}) d CROSS JOIN (VALUES {lines}) k WHERE {keep}"
        f") u WHERE facet = {total} OR value <> '' GROUP BY facet, value, name"
    )
    matched = MatchedSQL(sql, tuple(params), inner.db, tuple(conditions))
    counts = FacetCounts(total=0, rows=[[] for _ in facets], matched=matched)
    with connections[inner.db].cursor() as cursor:
        cursor.execute(query, params)
        for index, value_, name_, n in cursor.fetchall():
            if index == total:
                counts.total = n
            else:
                counts.rows[index].append(FacetRow(value_, name_ or "", n))
    return counts
