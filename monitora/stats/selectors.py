"""The one statistics engine: the statistics page, its CSVs and the API's `/statistics`.

All counts start from `report_select(filters)` (the search index joined to
`Report.objects.published()`) and, for Step-3 impact, also require a published impact section.
The index already holds the harmonised facets, so every count is one GROUP BY on indexed
columns (never one query per value): fast enough at Monitora's scale without a precomputed table.
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitora.questionnaires.definitions import (
    IMPACT_RESPONSE_KEYS,
    METHOD_KEYS,
    QUESTIONNAIRES,
    RESULTS_JUDGEMENT_2019,
)
from monitora.reports.models import Answer
from monitora.search.facets import FACETS_BY_KEY, value_label
from monitora.search.filters import ReportFilters
from monitora.search.selectors import report_select


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # "bar" (horizontal), "column" (vertical, for time) or "stacked" (a crosstab, horizontal).
    chart: str = "bar"
    note: str = ""


TABLE_TITLES = {
    "per-anno": gettext_lazy("Report per anno"),
    "per-regione": gettext_lazy("Report per regione"),
    "per-tema": gettext_lazy("Report per tema"),
    "giudizio-per-avanzamento": gettext_lazy("Giudizio di efficacia per stato di avanzamento"),
    "avanzamento-vs-stato-ufficiale": gettext_lazy(
        "Avanzamento secondo i cittadini e stato ufficiale del progetto al monitoraggio"
    ),
    "metodi": gettext_lazy("Metodi di indagine usati"),
    "impatto": gettext_lazy("Risposte delle amministrazioni (impatto del monitoraggio)"),
}


def _unknown() -> str:
    return _("Non indicato")


def _counts(documents: QuerySet, column: str) -> list[tuple[object, int]]:
    rows = documents.values(column).annotate(n=Count("pk")).order_by()
    return [(row[column], row["n"]) for row in rows]


def facet_counts(documents: QuerySet, facet_key: str) -> tuple[list[tuple[str, str, int]], int]:
    """(code, label, count) of each value of a facet, in one GROUP BY, and the count without one."""
    facet = FACETS_BY_KEY[facet_key]
    columns = [facet.column] + ([facet.name_column] if facet.name_column else [])
    merged: dict[str, list] = {}
    missing = 0
    for row in documents.values(*columns).annotate(n=Count("pk")).order_by():
        value = row[facet.column]
        if value in ("", None):
            missing += row["n"]
            continue
        name = row[facet.name_column] if facet.name_column else ""
        entry = merged.setdefault(str(value), [str(value), value_label(facet, value, name), 0])
        entry[2] += row["n"]
    return [tuple(entry) for entry in merged.values()], missing


def _facet_table(
    documents: QuerySet, slug: str, facet_key: str, *, order_by_value: bool = False, chart: str = "bar"
) -> Table:
    facet = FACETS_BY_KEY[facet_key]
    counts, missing = facet_counts(documents, facet_key)
    rows = [[label, count, code] for code, label, count in counts]
    rows.sort(key=(lambda r: r[2]) if order_by_value else (lambda r: (-r[1], r[0])))
    table_rows = [[label, count] for label, count, _code in rows]
    if missing:
        table_rows.append([_unknown(), missing])
    return Table(slug, str(TABLE_TITLES[slug]), [str(facet.heading), _("Report")], table_rows, chart=chart)


def _crosstab(
    documents: QuerySet, slug: str, row_column: str, row_label, col_facet: str, *, row_order=None, note=""
) -> Table:
    facet = FACETS_BY_KEY[col_facet]
    col_codes = [o.code for o in facet.options] + [""]
    cells: dict[tuple[str, str], int] = {}
    for row in documents.values(row_column, facet.column).annotate(n=Count("pk")).order_by():
        cells[(str(row[row_column] or ""), row[facet.column] or "")] = row["n"]
    present = {r for r, _c in cells}
    ordered = [r for r in (row_order or []) if r in present] + sorted(present - set(row_order or []) - {""})
    if "" in present:
        ordered.append("")
    columns = [str(row_label), *[value_label(facet, c) if c else _unknown() for c in col_codes]]
    rows = []
    for r in ordered:
        label = (
            value_label(FACETS_BY_KEY["avanzamento"], r) if row_column == "progress" else r
        ) or _unknown()
        rows.append([label, *[cells.get((r, c), 0) for c in col_codes]])
    return Table(slug, str(TABLE_TITLES[slug]), columns, rows, chart="stacked", note=note)


def _answer_counts(documents: QuerySet, keys: list[str], answers: QuerySet) -> list[tuple[str, int]]:
    counts = dict(
        answers.filter(report__in=documents.values("report_id"), question__key__in=keys, boolean=True)
        .values("question__key")
        .annotate(n=Count("report", distinct=True))
        .order_by()
        .values_list("question__key", "n")
    )
    return [(key, counts.get(key, 0)) for key in keys]


def _question_label(key: str, *, short: bool = False) -> str:
    for spec in QUESTIONNAIRES.values():
        question = spec.question(key)
        if question:
            return (question.help_it if short and question.help_it else question.label_it) or key
    return key


def _methods(documents: QuerySet) -> Table:
    total = documents.count()
    rows = [
        [_question_label(key), n, round(100 * n / total, 1) if total else 0]
        for key, n in _answer_counts(documents, list(dict.fromkeys(METHOD_KEYS)), Answer.objects.all())
    ]
    return Table("metodi", str(TABLE_TITLES["metodi"]), [_("Metodo"), _("Report"), _("% dei report")], rows)


def _impact(documents: QuerySet) -> Table:
    answers = Answer.objects.public()
    rows = [
        [_question_label(key, short=True), n]
        for key, n in _answer_counts(documents, IMPACT_RESPONSE_KEYS, answers)
    ]
    return Table(
        "impatto",
        str(TABLE_TITLES["impatto"]),
        [_("Risposta"), _("Report")],
        rows,
        note=_("Solo i report la cui sezione sull'impatto (Step 3) è stata pubblicata."),
    )


def _judgement_by_progress(documents: QuerySet) -> Table:
    return _crosstab(
        documents,
        "giudizio-per-avanzamento",
        "progress",
        FACETS_BY_KEY["avanzamento"].heading,
        "efficacia",
        row_order=[o.code for o in FACETS_BY_KEY["avanzamento"].options],
        note=_(
            "Per i questionari precedenti al 2022 avanzamento ed efficacia sono ricavati dal giudizio "
            "sintetico e dalla valutazione dei risultati."
        ),
    )


def _progress_vs_official(documents: QuerySet) -> Table:
    return _crosstab(
        documents,
        "avanzamento-vs-stato-ufficiale",
        "official_state",
        _("Stato ufficiale (OpenCoesione)"),
        "avanzamento",
        note=_("Lo stato ufficiale è quello registrato nei dati del progetto al momento del monitoraggio."),
    )


BUILDERS = {
    "per-anno": lambda d: _facet_table(d, "per-anno", "anno", order_by_value=True, chart="column"),
    "per-regione": lambda d: _facet_table(d, "per-regione", "regione"),
    "per-tema": lambda d: _facet_table(d, "per-tema", "tema"),
    "giudizio-per-avanzamento": _judgement_by_progress,
    "avanzamento-vs-stato-ufficiale": _progress_vs_official,
    "metodi": _methods,
    "impatto": _impact,
}


def stats_tables(filters: ReportFilters | None = None) -> list[Table]:
    """Every table of the statistics page, for published reports matching `filters`."""
    documents = report_select(filters)
    return [build(documents) for build in BUILDERS.values()]


def stats_table(slug: str, filters: ReportFilters | None = None) -> Table | None:
    build = BUILDERS.get(slug)
    return build(report_select(filters)) if build else None


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
