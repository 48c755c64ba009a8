"""The API's `/statistics` counts, from the same published documents as the statistics page.

Kept apart from `selectors` (the page's one statement): one GROUP BY per facet, as the API
answers one set of filters per request and lists facets the page does not chart.
"""

from django.db.models import Count, QuerySet

from monitora.questionnaires.definitions import RESULTS_JUDGEMENT_2019
from monitora.reports.models import Answer
from monitora.search.facets import FACETS_BY_KEY
from monitora.search.filters import ReportFilters
from monitora.search.selectors import report_select

from .selectors import merged_values


def facet_counts(documents: QuerySet, facet_key: str) -> tuple[list[tuple[str, str, int]], int]:
    """(code, label, count) of each value of a facet, in one GROUP BY, and the count without one."""
    facet = FACETS_BY_KEY[facet_key]
    columns = [facet.column] + ([facet.name_column] if facet.name_column else [])
    rows = documents.values(*columns).annotate(n=Count("pk")).order_by()
    return merged_values(
        facet_key,
        [(r[facet.column], r[facet.name_column] if facet.name_column else "", r["n"]) for r in rows],
    )


def _entries(counts: list[tuple[str, str, int]], *, by_code: bool = True) -> list[dict]:
    ordered = sorted(counts, key=(lambda c: c[0]) if by_code else (lambda c: (-c[2], c[1])))
    return [{"key": code, "label": label, "count": n} for code, label, n in ordered]


def report_statistics(filters: ReportFilters | None = None) -> dict:
    """The API's counts: total, then per year, region, theme, questionnaire and judgement."""
    documents = report_select(filters)
    out: dict = {"total": documents.count()}
    for name, facet_key, by_code in (
        ("by_year", "anno", True),
        ("by_region", "regione", True),
        ("by_theme", "tema", False),
        ("by_progress_state", "avanzamento", True),
        ("by_effectiveness", "efficacia", True),
        ("by_overall_judgement", "giudizio", True),
    ):
        out[name] = _entries(facet_counts(documents, facet_key)[0], by_code=by_code)
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
