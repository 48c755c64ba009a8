"""The API's `/statistics` counts, from the same published documents as the statistics page.

Kept apart from `selectors` (the page's one statement): the API lists facets the page does not
chart, counted all at once by the search page's `facet_counts` (one query for every facet and the
total).
"""

from django.db.models import Count

from monitora.questionnaires.definitions import RESULTS_JUDGEMENT_2019
from monitora.reports.models import Answer
from monitora.search.facetcounts import facet_counts
from monitora.search.facets import FACETS_BY_KEY
from monitora.search.filters import ReportFilters
from monitora.search.selectors import report_select

from .selectors import merged_values

# (answer key, facet, listed by code rather than by count)
API_FACETS = (
    ("by_year", "anno", True),
    ("by_region", "regione", True),
    ("by_theme", "tema", False),
    ("by_progress_state", "avanzamento", True),
    ("by_effectiveness", "efficacia", True),
    ("by_overall_judgement", "giudizio", True),
)


def _entries(counts: list[tuple[str, str, int]], *, by_code: bool = True) -> list[dict]:
    ordered = sorted(counts, key=(lambda c: c[0]) if by_code else (lambda c: (-c[2], c[1], c[0])))
    return [{"key": code, "label": label, "count": n} for code, label, n in ordered]


def report_statistics(filters: ReportFilters | None = None) -> dict:
    """The API's counts: total, then per year, region, theme, questionnaire and judgement."""
    documents = report_select(filters)
    counted = facet_counts(documents, [FACETS_BY_KEY[key] for _name, key, _by_code in API_FACETS], {})
    out: dict = {"total": counted.total}
    for (name, key, by_code), rows in zip(API_FACETS, counted.rows, strict=True):
        merged, _missing = merged_values(key, [(r.value, r.name, r.count) for r in rows])
        out[name] = _entries(merged, by_code=by_code)
    rows = documents.values("report__questionnaire__code", "report__questionnaire__name").annotate(
        n=Count("pk")
    )
    out["by_questionnaire"] = [
        {"key": r["report__questionnaire__code"], "label": r["report__questionnaire__name"], "count": r["n"]}
        for r in rows.order_by("report__questionnaire__code")
    ]
    rows = (
        Answer.objects.filter(
            report__in=documents.values("report_id"),
            question__key="valutazione_risultati",
            option__isnull=False,
        )
        .values("option__code")
        .annotate(n=Count("report", distinct=True))
        .order_by("option__code")
    )
    labels = {o.code: o.short_label_it or o.label_it for o in RESULTS_JUDGEMENT_2019.options}
    out["by_results_judgement"] = [
        {"key": r["option__code"], "label": labels.get(r["option__code"], ""), "count": r["n"]} for r in rows
    ]
    return out
