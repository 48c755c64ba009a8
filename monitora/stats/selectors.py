"""Aggregate numbers behind the statistics page, each as a table a chart and a CSV can share.

All counts start from `published_documents()` (the search index joined to
`Report.objects.published()`) and, for Step-3 impact, also require a published impact section.
The index already holds the harmonised facets, so every table is one GROUP BY on indexed
columns: fast enough at Monitora's scale (thousands of reports) without a precomputed table.
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitora.questionnaires.definitions import IMPACT_RESPONSE_KEYS, METHOD_KEYS, QUESTIONNAIRES
from monitora.reports.models import Answer
from monitora.search.facets import FACETS_BY_KEY, value_label
from monitora.search.selectors import report_search_documents


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


def _facet_table(
    documents: QuerySet, slug: str, facet_key: str, *, order_by_value: bool = False, chart: str = "bar"
) -> Table:
    facet = FACETS_BY_KEY[facet_key]
    names: dict[str, str] = {}
    if facet.name_column:
        for row in documents.values(facet.column, facet.name_column).distinct().order_by():
            names.setdefault(str(row[facet.column]), row[facet.name_column])
    rows = []
    missing = 0
    for value, count in _counts(documents, facet.column):
        if value in ("", None):
            missing += count
        else:
            rows.append([value_label(facet, value, names.get(str(value), "")), count, str(value)])
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


def stats_tables(*, filters: dict[str, list[str]] | None = None) -> list[Table]:
    """Every table of the statistics page, for published reports matching `filters`."""
    documents = report_search_documents(filters=filters)
    return [build(documents) for build in BUILDERS.values()]


def stats_table(*, slug: str, filters: dict[str, list[str]] | None = None) -> Table | None:
    build = BUILDERS.get(slug)
    return build(report_search_documents(filters=filters)) if build else None
