"""Reading the catalogue: project look-up and search (used by pages, the API and the report form)."""

import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet
from django.db.models.expressions import RawSQL

from monitora.core.pagination import PageWindow

from .models import Project, Territory
from .places import place_by_code, place_project_ids
from .text import search_terms

MAX_PAGE_SIZE = 100
# Bounded work per query, whatever the catalogue size: totals above COUNT_CAP are shown as "più di
# 1.000", relevance is ranked over the best (SQLite) or first (PostgreSQL) RANK_CANDIDATES matches,
# facets of larger result sets are counted over the first FACET_SAMPLE matches.
COUNT_CAP = 1_000
RANK_CANDIDATES = 1_000
FACET_SAMPLE = 2_000
SORTS = ("relevance", "-funding", "funding")
# PostgreSQL query shape (docs/benchmarks.md): memory for the bitmaps of common words; very common
# words are first looked for in the first pages of the table (pages for PROBE_MARGIN times the
# matches needed, when scanning a row costs as much as PROBE_COST index entries of the words); a
# funding sort walks the funding index when the words are common enough to fill the page within
# WALK_ROWS projects.
SEARCH_WORK_MEM = "32MB"
SEARCH_SETTINGS = ("work_mem", "max_parallel_workers_per_gather", "enable_bitmapscan", "enable_seqscan")
PROBE_MARGIN = 2.0
PROBE_COST = 4
WALK_ROWS = 20_000
CUP_RE = re.compile(r"^[A-Z]\d{2}[A-Z]\d{11}$")
TSQUERY = "websearch_to_tsquery('monitora_it', %s)"


@dataclass
class SearchResult(PageWindow):
    results: list[Project]
    total_capped: bool
    facets: dict[str, list[dict]] = field(default_factory=dict)
    facets_sampled: bool = False


def project_get(*, code: str) -> Project | None:
    return Project.objects.public().filter(code=code).first()


def _word_filter(qs: QuerySet, q: str) -> tuple[QuerySet, bool | str]:
    """Full-text condition. Returns the queryset and True (PostgreSQL: ranked by `ts_rank_cd` over the
    candidates) or the FTS5 MATCH expression (SQLite: ranked separately, see `_fts_ranked_ids`)."""
    if connection.vendor == "postgresql":
        # The search column is not in the ORM (migration 0003); user text only ever goes in params.
        qs = qs.extra(where=[f"catalogue_project.search_vector @@ {TSQUERY}"], params=[q])  # noqa: S610
        return qs, True
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


@contextmanager
def _search_settings():
    """PostgreSQL: run the search in one transaction with settings for it alone (SET LOCAL, put
    back afterwards in case the caller's transaction goes on).

    Bitmaps of common words (100k+ matches) turn lossy within the default 4 MB of work_mem and then
    cost several times more; parallel workers would make "the first matches" vary from run to run.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(SEARCH_SETTINGS)]
            )
            previous = dict(cursor.fetchall())
        _set_local(work_mem=SEARCH_WORK_MEM, max_parallel_workers_per_gather="0")
        yield
        _set_local(**previous)


def _set_local(**settings: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(name, value, true) FROM unnest(%s::text[], %s::text[]) AS s(name, value)",
            [list(settings), list(settings.values())],
        )


WORD_STATS_SQL = """
WITH stats AS (
    SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs
    FROM pg_stats
    WHERE schemaname = current_schema() AND tablename = 'catalogue_project' AND attname = 'search_vector'
), tree AS (SELECT querytree(websearch_to_tsquery('monitora_it', %s))::text AS text),
words AS (
    SELECT coalesce(
        stats.freqs[array_position(stats.elems, m[1])], stats.freqs[array_length(stats.freqs, 1) - 2]
    ) AS freq
    FROM stats, tree, regexp_matches(tree.text, '''([^'']+)''', 'g') AS m
)
SELECT tree.text, (SELECT sqrt(min(freq) * exp(sum(ln(freq)))) FROM words), (SELECT sum(freq) FROM words),
    c.reltuples, c.relpages
FROM tree, pg_class c WHERE c.oid = 'catalogue_project'::regclass
"""


@dataclass
class WordStats:
    share: float  # estimated share of the projects that have all the words
    postings: float  # index entries of the words: what a bitmap of their matches reads
    per_page: float  # projects per table page


def _word_stats(q: str) -> WordStats | None:
    """How common the words of `q` are (PostgreSQL), from the column statistics (a word missing
    from them is rarer than all of them). The planner multiplies the words' frequencies, which
    underestimates phrases ("legalità e sicurezza") by an order of magnitude, while the rarest
    word's frequency overestimates unrelated words: the share is the geometric mean of the two
    (the frequency itself for one word). None when unknown (no statistics, OR queries)."""
    with connection.cursor() as cursor:
        cursor.execute(WORD_STATS_SQL, [q])
        tree, share, total, rows, pages = cursor.fetchone()
    if share is None or "|" in tree or not rows or rows <= 0:
        return None
    per_page = max(1.0, rows / max(pages, 1))
    return WordStats(share=float(share), postings=float(total) * rows, per_page=per_page)


def _first_matches(qs: QuerySet, fields: tuple[str, ...], cap: int, words: WordStats | None) -> list:
    """The first `cap` + 1 matches in storage order (no ORDER BY: the model orders by code; without
    it the scan stops as soon as it has them, however many projects match).

    Very common words: first look only in the first pages of the table, a bounded scan that finds
    them there when the words are as common as the statistics say, cheaper than the bitmap of all
    their matches that the index would build. Otherwise (or if the probe falls short) the index.
    """
    limit = cap + 1
    unordered = qs.order_by()
    if words is not None and words.share > 0:
        # The scan stops after about limit / share rows; it may read up to PROBE_MARGIN times more.
        if limit / words.share * PROBE_COST <= words.postings:
            pages = math.ceil(limit * PROBE_MARGIN / words.share / words.per_page)
            probe = unordered.extra(where=["catalogue_project.ctid < %s::tid"], params=[f"({pages},0)"])  # noqa: S610
            rows = list(probe.values_list(*fields)[:limit])
            if len(rows) == limit:
                return rows
    return list(unordered.values_list(*fields)[:limit])


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
    place: str | None = None,
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

    `place` (an ISTAT code of any width) also finds the projects of the places inside it.
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
    if place:
        territory = place_by_code(place)
        qs = qs.filter(id__in=place_project_ids(territory)) if territory else qs.none()
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

    filtered = any(
        value is not None and value != ""
        for value in (
            region,
            province,
            comune,
            place,
            theme,
            cycle,
            programme,
            state,
            funding_min,
            funding_max,
        )
    )
    offset = (page - 1) * page_size
    with _search_settings():
        # PostgreSQL, words without filters: how common they are (see _word_stats).
        words = _word_stats(q) if ranked is True and not filtered else None
        if sort == "relevance" and ranked is True:
            # PostgreSQL: one pass fetches the first matches with their rank; it is also the capped count.
            rank = RawSQL(f"ts_rank_cd(catalogue_project.search_vector, {TSQUERY})", [q])  # noqa: S611
            rows = _first_matches(
                qs.annotate(rank=rank),
                ("id", "rank", "public_funding"),
                max(COUNT_CAP, RANK_CANDIDATES),
                words,
            )
            total = len(rows)
            candidates = rows[:RANK_CANDIDATES]
            candidates.sort(key=lambda c: (-c[1], c[2] is None, -(c[2] or 0), c[0]))
            ordered_ids: list[int] | None = [c[0] for c in candidates]
        else:
            total = len(_first_matches(qs, ("id",), COUNT_CAP, words))
            ordered_ids = None
            if sort == "relevance" and ranked:  # SQLite: FTS5 ranks once, best first
                ranked_ids = _fts_ranked_ids(ranked)
                allowed = set(qs.filter(id__in=ranked_ids).values_list("id", flat=True))
                ordered_ids = [pk for pk in ranked_ids if pk in allowed]
        capped = total > COUNT_CAP
        total = min(total, COUNT_CAP)
        if ordered_ids is not None:
            page_ids = ordered_ids[offset : offset + page_size]
            by_id = Project.objects.in_bulk(page_ids)
            results = [by_id[pk] for pk in page_ids]
        else:
            direction = (
                F("public_funding").asc(nulls_last=True)
                if sort == "funding"
                else (F("public_funding").desc(nulls_last=True))
            )
            if words is not None and (offset + page_size) <= WALK_ROWS * words.share:
                # Common words: walking the funding index meets the page's matches soon, while a
                # bitmap would fetch and sort every match. The planner underestimates phrases, and
                # with a tiny estimate would prefer sorting a whole-table scan: both are ruled out.
                _set_local(enable_bitmapscan="off", enable_seqscan="off")
            results = list(qs.order_by(direction, "code")[offset : offset + page_size])
    result = SearchResult(results=results, total=total, total_capped=capped, page=page, page_size=page_size)
    if facets:
        # At most COUNT_CAP matches, or the first FACET_SAMPLE of a capped result.
        result.facets_sampled = capped
        result.facets = project_facets(qs.order_by()[:FACET_SAMPLE] if capped else qs)
    return result


def project_facets(qs: QuerySet, limit: int = 25) -> dict[str, list[dict]]:
    """Counts per region, theme, cycle and state of the projects matched by `qs`, a bounded query
    (project_search passes at most FACET_SAMPLE projects): its ids are fetched once, then counted
    by id, so that the planner never joins from the territory side (a region has 100k+ links)."""
    ids = list(qs.values_list("id", flat=True))
    regions = {t.id: t for t in Territory.objects.filter(kind=Territory.Kind.REGION)}
    links = Project.territories.through.objects.filter(project_id__in=ids, territory_id__in=list(regions))
    rows = links.values("territory_id").annotate(n=Count("id")).order_by("-n", "territory_id")[:limit]
    out: dict[str, list[dict]] = {
        "region": [
            {
                "value": regions[r["territory_id"]].code,
                "label": regions[r["territory_id"]].name,
                "count": r["n"],
            }
            for r in rows
        ]
    }
    matched = Project.objects.filter(id__in=ids)
    for name, value, label in (
        ("theme", "theme_code", "theme"),
        ("cycle", "cycle_code", "cycle"),
        ("state", "state", "state"),
    ):
        rows = (
            matched.exclude(**{label: ""}).values(value, label).annotate(n=Count("id")).order_by("-n")[:limit]
        )
        out[name] = [{"value": r[value] or r[label], "label": r[label], "count": r["n"]} for r in rows]
    return out
