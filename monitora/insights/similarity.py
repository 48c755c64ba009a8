"""Similar published reports: TF-IDF over Italian stems, kept as a small inverted index in the database.

Each published report keeps its strongest TERMS_PER_REPORT stems with L2-normalised TF-IDF weights
(`ReportTerm`). The panel asks the index for the reports sharing the report's strongest stems and
ranks them by the dot product of weights (a truncated cosine): one indexed GROUP BY, no model,
nothing downloaded. `rebuild()` recomputes document frequencies and every report's terms;
`index_reports()` indexes a few reports with the frequencies of the last rebuild.
"""

import math
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import Case, F, FloatField, Sum, Value, When

from monitora.reports.models import Answer, Report
from monitora.search.selectors import project_reports_q

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
            rows = []
            for report_id, texts in report_texts(chunk).items():
                for term, weight in weigh(_counts(texts)[0], df, total).items():
                    rows.append(ReportTerm(report_id=report_id, term=term, weight=weight))
            ReportTerm.objects.bulk_create(rows, batch_size=5000)
            written += len(rows)
    return {"reports": total, "terms": len(df), "rows": written}


def index_reports(*, report_ids: Iterable[int]) -> int:
    """(Re)index a few reports: published ones get terms, others lose theirs."""
    ids = list(report_ids)
    published = list(Report.objects.published().filter(pk__in=ids).values_list("pk", flat=True))
    texts = report_texts(published)
    counts = {pk: _counts(t)[0] for pk, t in texts.items()}
    needed = {term for c in counts.values() for term in c}
    df = dict(TermStat.objects.filter(term__in=needed).values_list("term", "documents"))
    total = max(Report.objects.published().count(), 1)
    rows = [
        ReportTerm(report_id=pk, term=term, weight=weight)
        for pk, c in counts.items()
        for term, weight in weigh(c, df, total).items()
    ]
    with transaction.atomic():
        ReportTerm.objects.filter(report_id__in=ids).delete()
        ReportTerm.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def similar_reports(report: Report, *, limit: int = PANEL_SIZE) -> dict[str, list[Report]]:
    """Published reports on the same project, then the most similar others by text."""
    published = Report.objects.published().with_public_relations()
    same = []
    if report.project_id or report.project_code:
        code = report.project.code if report.project_id else report.project_code
        same = list(
            published.filter(project_reports_q(code)).exclude(pk=report.pk).order_by("-published_at")[:limit]
        )
    query = dict(
        ReportTerm.objects.filter(report_id=report.pk)
        .order_by("-weight")
        .values_list("term", "weight")[:QUERY_TERMS]
    )
    similar: list[Report] = []
    if query:
        score = Sum(
            Case(
                *(When(term=t, then=Value(w) * F("weight")) for t, w in query.items()),
                output_field=FloatField(),
            )
        )
        ranked = (
            ReportTerm.objects.filter(term__in=list(query))
            .exclude(report_id__in=[report.pk, *(r.pk for r in same)])
            .values("report_id")
            .annotate(score=score)
            .order_by("-score", "report_id")
            .values_list("report_id", flat=True)[: limit * 2]
        )
        ids = list(ranked)
        found = {r.pk: r for r in published.filter(pk__in=ids)}
        similar = [found[pk] for pk in ids if pk in found][:limit]
    return {"same_project": same, "similar": similar}
