"""Reading the catalogue: project look-up and search (used by pages, the API and the report form)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, QuerySet
from django.db.models.expressions import RawSQL

from .models import Project, Territory
from .text import search_terms

MAX_PAGE_SIZE = 100
# Bounded work per query, whatever the catalogue size: totals above COUNT_CAP are shown as "più di
# 1.000", relevance is ranked over the best (SQLite) or first (PostgreSQL) RANK_CANDIDATES matches,
# facets of larger result sets are counted over the first FACET_SAMPLE matches.
COUNT_CAP = 1_000
RANK_CANDIDATES = 1_000
FACET_SAMPLE = 2_000
SORTS = ("relevance", "-funding", "funding")
CUP_RE = re.compile(r"^[A-Z]\d{2}[A-Z]\d{11}$")


@dataclass
class SearchResult:
    results: list[Project]
    total: int
    total_capped: bool
    page: int
    page_size: int
    facets: dict[str, list[dict]] = field(default_factory=dict)
    facets_sampled: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def project_get(*, code: str) -> Project | None:
    return Project.objects.public().filter(code=code).first()


def _word_filter(qs: QuerySet, q: str) -> tuple[QuerySet, bool | str]:
    """Full-text condition. Returns the queryset and True (PostgreSQL: a `rank` annotation) or the
    FTS5 MATCH expression (SQLite: ranked separately, see `_fts_ranked_ids`)."""
    if connection.vendor == "postgresql":
        tsquery = "websearch_to_tsquery('monitora_it', %s)"
        # The search column is not in the ORM (migration 0003); user text only ever goes in params.
        qs = qs.extra(where=[f"catalogue_project.search_vector @@ {tsquery}"], params=[q])  # noqa: S610
        rank = RawSQL(f"ts_rank_cd(catalogue_project.search_vector, {tsquery})", [q])  # noqa: S611
        return qs.annotate(rank=rank), True
    terms = search_terms(q)
    if not terms:
        return qs.none(), False
    match = " ".join(f'"{t}"' for t in terms)
    qs = qs.extra(  # noqa: S610 - the FTS5 table is not in the ORM; terms go in params
        where=[
            "catalogue_project.id IN "
            "(SELECT rowid FROM catalogue_project_fts WHERE catalogue_project_fts MATCH %s)"
        ],
        params=[match],
    )
    return qs, match


def _fts_ranked_ids(match: str) -> list[int]:
    """The best RANK_CANDIDATES matches by BM25, computed once by FTS5 (not once per row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM catalogue_project_fts WHERE catalogue_project_fts MATCH %s "
            "ORDER BY rank LIMIT %s",
            [match, RANK_CANDIDATES],
        )
        return [row[0] for row in cursor.fetchall()]


def project_search(
    *,
    q: str = "",
    region: str | None = None,
    province: str | None = None,
    comune: str | None = None,
    theme: str | None = None,
    cycle: str | None = None,
    programme: str | None = None,
    state: str | None = None,
    funding_min: Decimal | None = None,
    funding_max: Decimal | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    facets: bool = False,
) -> SearchResult:
    """Search public projects by words, CUP or code, with filters; territory filters take ISTAT codes.

    Totals are capped at COUNT_CAP and relevance ranking at RANK_CANDIDATES matches so that the
    cost of a query does not grow with the size of the catalogue.
    """
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, int(page))
    sort = sort if sort in SORTS else "relevance"
    qs = Project.objects.public()
    q = (q or "").strip()
    ranked = False
    if q:
        exact = q.upper().replace(" ", "")
        if CUP_RE.match(exact):
            qs = qs.filter(cup=exact)
        elif Project.objects.filter(code=q).exists():
            qs = qs.filter(code=q)
        else:
            qs, ranked = _word_filter(qs, q)
    for kind, code in (
        (Territory.Kind.REGION, region),
        (Territory.Kind.PROVINCE, province),
        (Territory.Kind.MUNICIPALITY, comune),
    ):
        if code:
            # Resolve the id first: an equality on territory_id lets the planner use its statistics.
            territory_id = Territory.objects.filter(kind=kind, code=code).values_list("id", flat=True).first()
            qs = qs.filter(territories=territory_id) if territory_id else qs.none()
    if theme:
        qs = qs.filter(theme_code=theme) if theme.isdigit() else qs.filter(theme=theme)
    if cycle:
        qs = qs.filter(cycle_code=cycle) if cycle.isdigit() else qs.filter(cycle=cycle)
    if programme:
        qs = (
            qs.filter(programme_codes__contains=[programme])
            if connection.vendor == "postgresql"
            else (qs.filter(programme_codes__icontains=f'"{programme}"'))
        )
    if state:
        qs = qs.filter(state=state)
    if funding_min is not None:
        qs = qs.filter(public_funding__gte=funding_min)
    if funding_max is not None:
        qs = qs.filter(public_funding__lte=funding_max)

    total = qs.values("id")[: COUNT_CAP + 1].count()
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    offset = (page - 1) * page_size
    if sort == "relevance" and ranked:
        if isinstance(ranked, str):  # SQLite: FTS5 ranks once, best first
            ranked_ids = _fts_ranked_ids(ranked)
            allowed = set(qs.filter(id__in=ranked_ids).values_list("id", flat=True))
            ordered_ids = [pk for pk in ranked_ids if pk in allowed]
        else:  # PostgreSQL: rank the (bounded) candidates in one pass
            candidates = list(qs.values_list("id", "rank", "public_funding")[:RANK_CANDIDATES])
            candidates.sort(key=lambda c: (-c[1], c[2] is None, -(c[2] or 0), c[0]))
            ordered_ids = [c[0] for c in candidates]
        page_ids = ordered_ids[offset : offset + page_size]
        by_id = Project.objects.in_bulk(page_ids)
        results = [by_id[pk] for pk in page_ids]
    else:
        direction = (
            F("public_funding").asc(nulls_last=True)
            if sort == "funding"
            else (F("public_funding").desc(nulls_last=True))
        )
        results = list(qs.order_by(direction, "code")[offset : offset + page_size])
    result = SearchResult(results=results, total=total, total_capped=capped, page=page, page_size=page_size)
    if facets:
        sample = qs
        if capped:
            sample = Project.objects.filter(id__in=list(qs.values_list("id", flat=True)[:FACET_SAMPLE]))
            result.facets_sampled = True
        result.facets = project_facets(sample)
    return result


def project_facets(qs: QuerySet, limit: int = 25) -> dict[str, list[dict]]:
    """Counts per region, theme, cycle and state of the projects matched by `qs` (same query + GROUP BY)."""
    out: dict[str, list[dict]] = {}
    rows = (
        qs.filter(territories__kind=Territory.Kind.REGION)
        .values("territories__code", "territories__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:limit]
    )
    out["region"] = [
        {"value": r["territories__code"], "label": r["territories__name"], "count": r["n"]} for r in rows
    ]
    for name, value, label in (
        ("theme", "theme_code", "theme"),
        ("cycle", "cycle_code", "cycle"),
        ("state", "state", "state"),
    ):
        rows = qs.exclude(**{label: ""}).values(value, label).annotate(n=Count("id")).order_by("-n")[:limit]
        out[name] = [{"value": r[value] or r[label], "label": r[label], "count": r["n"]} for r in rows]
    return out
