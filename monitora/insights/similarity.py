"""Similar published reports: TF-IDF over Italian stems, kept as a small inverted index in the database.

Each published report keeps its strongest TERMS_PER_REPORT stems with L2-normalised TF-IDF weights
(`ReportTerm`). The panel reads, for each of the report's QUERY_TERMS strongest stems, the
POSTINGS_PER_TERM reports where that stem weighs most (one index range scan each) and ranks them by
the dot product of weights (a truncated cosine): bounded work per panel, no model, nothing
downloaded. `rebuild()` recomputes document frequencies and every report's terms;
`index_reports()` indexes a few reports with the frequencies of the last rebuild.
"""

import math
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Q

from monitora.catalogue.models import Project
from monitora.reports.models import Answer, Report, ReportStatus

from .models import ReportTerm, TermStat
from .textmining import Spellings, tokens

# Descriptions (legacy and v2019 "descrizione"; v2022 splits it into objectives, activities and
# progress), weaknesses, risks and solutions.
TEXT_KEYS = (
    "descrizione", "obiettivi", "attivita", "avanzamento", "punti_deboli", "rischi", "soluzioni_progetto",
)  # fmt: skip
PROBLEM_KEYS = ("punti_deboli", "rischi")
TERMS_PER_REPORT = 25
QUERY_TERMS = 12
POSTINGS_PER_TERM = 150
PANEL_SIZE = 5
CHUNK = 2000


def report_texts(report_ids: list[int], keys: Iterable[str] = TEXT_KEYS) -> dict[int, dict[str, str]]:
    texts: dict[int, dict[str, str]] = {pk: {} for pk in report_ids}
    rows = Answer.objects.filter(report_id__in=report_ids, question__key__in=list(keys)).exclude(text="")
    for report_id, key, text in rows.values_list("report_id", "question__key", "text"):
        texts[report_id][key] = text
    return texts


def weigh(counts: Counter, df: dict[str, int], total: int) -> dict[str, float]:
    """The strongest stems of one text with L2-normalised TF-IDF weights."""
    scored = {
        term: (1 + math.log(n)) * (math.log((1 + total) / (1 + df.get(term, 1))) + 1)
        for term, n in counts.items()
    }
    top = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_PER_REPORT]
    norm = math.sqrt(sum(w * w for _t, w in top)) or 1.0
    return {term: w / norm for term, w in top}


def _write_terms(rows: list[tuple[int, str, float]]) -> None:
    """Insert (report_id, term, weight) rows: COPY on PostgreSQL, batched INSERTs elsewhere."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = ReportTerm._meta.db_table
            with cursor.cursor.copy(f"COPY {table} (report_id, term, weight) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        ReportTerm.objects.bulk_create(
            (ReportTerm(report_id=r, term=t, weight=w) for r, t, w in rows), batch_size=5000
        )


def _published_chunks() -> Iterator[list[int]]:
    ids = list(Report.objects.published().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _counts(texts: dict[str, str]) -> tuple[Counter, list[tuple[str, str]]]:
    pairs = [pair for key in TEXT_KEYS for pair in tokens(texts.get(key, ""))]
    return Counter(s for s, _w in pairs), pairs


def rebuild() -> dict[str, int]:
    """Recompute document frequencies and the terms of every published report (two passes)."""
    df: Counter = Counter()
    spellings = Spellings()
    total = 0
    for chunk in _published_chunks():
        for texts in report_texts(chunk).values():
            counts, pairs = _counts(texts)
            df.update(counts.keys())
            spellings.add(pairs)
            total += 1
    with transaction.atomic():
        TermStat.objects.all().delete()
        TermStat.objects.bulk_create(
            (TermStat(term=t, documents=n, word=spellings.word(t)) for t, n in df.items()), batch_size=2000
        )
        ReportTerm.objects.all().delete()
        written = 0
        for chunk in _published_chunks():
            rows = [
                (report_id, term, weight)
                for report_id, texts in report_texts(chunk).items()
                for term, weight in weigh(_counts(texts)[0], df, total).items()
            ]
            _write_terms(rows)
            written += len(rows)
    return {"reports": total, "terms": len(df), "rows": written}


def index_reports(*, report_ids: Iterable[int]) -> int:
    """(Re)index some reports: published ones get terms, others lose theirs (in chunks)."""
    ids = sorted(set(report_ids))
    total = max(Report.objects.published().count(), 1)
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        published = list(Report.objects.published().filter(pk__in=chunk).values_list("pk", flat=True))
        counts = {pk: _counts(t)[0] for pk, t in report_texts(published).items()}
        needed = sorted({term for c in counts.values() for term in c})
        df: dict[str, int] = {}
        for at in range(0, len(needed), CHUNK):
            terms = needed[at : at + CHUNK]
            df.update(TermStat.objects.filter(term__in=terms).values_list("term", "documents"))
        rows = [(pk, t, w) for pk, c in counts.items() for t, w in weigh(c, df, total).items()]
        with transaction.atomic():
            ReportTerm.objects.filter(report_id__in=chunk).delete()
            _write_terms(rows)
        written += len(rows)
    return written


# PostgreSQL: the whole ranking in one small statement. The report's strongest stems, for each the
# POSTINGS_PER_TERM strongest reports (a LATERAL index-only range scan on (term, -weight) INCLUDE
# report_id), summed and ranked in the database: a plan of three nodes whatever the number of
# stems (a 12-branch UNION ALL cost ~10 ms of planning on a busy CPU) and only the top rows come
# back to Python, not ~1,800 postings. Scores are rounded so that ties break by id on both paths.
_RANK_SQL = """
WITH q AS (
    SELECT term, weight FROM {table} WHERE report_id = %s ORDER BY weight DESC, term LIMIT %s
)
SELECT p.report_id, ROUND(SUM(q.weight * p.weight) * 1e9) AS score FROM q CROSS JOIN LATERAL (
    SELECT report_id, weight FROM {table} WHERE term = q.term ORDER BY weight DESC LIMIT %s
) p
WHERE NOT (p.report_id = ANY(%s))
GROUP BY p.report_id
ORDER BY score DESC, p.report_id
LIMIT %s
"""
# The panel's rows in the same round trip: what it shows of the ranked reports that are published
# (`Report.objects.published()`: status "published").
_PANEL_SQL = """
WITH ranked AS ({rank})
SELECT r.id, r.title, r.project_id, pr.code AS panel_project_code, pr.title AS panel_project_title
FROM ranked JOIN {reports} r ON r.id = ranked.report_id LEFT JOIN {projects} pr ON pr.id = r.project_id
WHERE r.status = %s
ORDER BY ranked.score DESC, r.id
"""


def _similar_postgres(report_id: int, excluded: set[int], limit: int) -> list[Report]:
    """The most similar published reports, ranked and read in one statement."""
    sql = _PANEL_SQL.format(
        rank=_RANK_SQL.format(table=ReportTerm._meta.db_table),
        reports=Report._meta.db_table,
        projects=Project._meta.db_table,
    )
    params = [report_id, QUERY_TERMS, POSTINGS_PER_TERM, sorted(excluded), limit * 2, ReportStatus.PUBLISHED]
    similar = list(Report.objects.raw(sql, params))[:limit]
    for other in similar:  # as `.only()` loads it: the other fields are deferred, not blank
        row = (other.project_id, other.panel_project_code, other.panel_project_title)
        other.project = Project.from_db(connection.alias, ["id", "code", "title"], row) if row[0] else None
    return similar


def _ranked(report_id: int, excluded: set[int], limit: int) -> list[int]:
    """Ids of the reports sharing the most weight with this one (truncated cosine), best first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql = _RANK_SQL.format(table=ReportTerm._meta.db_table)
            cursor.execute(sql, [report_id, QUERY_TERMS, POSTINGS_PER_TERM, sorted(excluded), limit])
            return [row[0] for row in cursor.fetchall()]
    return _ranked_here(report_id, excluded, limit)


def _ranked_here(report_id: int, excluded: set[int], limit: int) -> list[int]:
    """The same ranking with one query per stem, summed in Python (SQLite)."""
    query = dict(
        ReportTerm.objects.filter(report_id=report_id)
        .order_by("-weight", "term")
        .values_list("term", "weight")[:QUERY_TERMS]
    )
    scores: dict[int, float] = {}
    for term, weight in query.items():
        postings = (
            ReportTerm.objects.filter(term=term)
            .order_by("-weight")
            .values_list("report_id", "weight")[:POSTINGS_PER_TERM]
        )
        for other, other_weight in postings:
            if other not in excluded:
                scores[other] = scores.get(other, 0.0) + weight * other_weight
    # Rounded as in SQL: equal texts tie exactly whatever order the products were summed in.
    return sorted(scores, key=lambda pk: (-round(scores[pk] * 1e9), pk))[:limit]


def similar_reports(
    report: Report, *, limit: int = PANEL_SIZE, same_project: list | None = None
) -> dict[str, list]:
    """Published reports on the same project, then the most similar others by text.

    `same_project`: those reports when the caller has already read them (`panels.report_panels`)."""
    # Only what the panel shows: the project's row carries large JSON (subjects, raw source row).
    published = (
        Report.objects.published()
        .select_related("project")
        .only("id", "title", "published_at", "project_code", "project__code", "project__title")
    )
    same = same_project if same_project is not None else []
    if same_project is None and (report.project_id or report.project_code):
        code = report.project.code if report.project_id else report.project_code
        # The rule of `search.selectors.project_reports_q` on indexed columns only (no join).
        on_project = Q(project_id=report.project_id) if report.project_id else Q(pk__in=[])
        on_project |= Q(project__isnull=True, project_code=code)
        same = list(published.filter(on_project).exclude(pk=report.pk).order_by("-published_at")[:limit])
    excluded = {report.pk, *(r.pk for r in same)}
    if connection.vendor == "postgresql":
        return {"same_project": same, "similar": _similar_postgres(report.pk, excluded, limit)}
    ranked = _ranked(report.pk, excluded, limit * 2)
    found = {r.pk: r for r in published.filter(pk__in=ranked)} if ranked else {}
    similar = [found[pk] for pk in ranked if pk in found][:limit]
    return {"same_project": same, "similar": similar}
