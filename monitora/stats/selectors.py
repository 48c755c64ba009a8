"""The one statistics engine: the statistics page, its CSVs and (`apicounts`) the API's `/statistics`.

All counts start from `report_select(filters)` (the search index joined to
`Report.objects.published()`) and, for Step-3 impact, also require a published impact section.
The index already holds the harmonised facets, so every count is one GROUP BY on indexed
columns (never one query per value): fast enough at Monitora's scale without a precomputed table.
The page's seven tables and its findings panel come from one statement (`_counts`): the filtered
documents as a CTE, one GROUP BY per table joined by UNION ALL; a CSV reads only its own table.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitora.insights.selectors import counts_per_rule, findings_of, rule_counts
from monitora.questionnaires.definitions import (
    IMPACT_RESPONSE_KEYS,
    METHOD_KEYS,
    QUESTIONNAIRES,
)
from monitora.reports.models import Answer, AnswerQuerySet
from monitora.search.facets import FACETS_BY_KEY, value_label
from monitora.search.filters import ReportFilters
from monitora.search.models import ReportSearchDocument
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


# The document columns each table counts, as (first, second) pairs. A page counts them all in one
# query: a UNION ALL of one GROUP BY per pair over the filtered documents (`_counts`).
PAIRS: dict[str, tuple[str, str]] = {
    "anno": ("year", ""),
    "regione": ("region", "region_name"),
    "tema": ("theme", "theme_name"),
    "progress-effectiveness": ("progress", "effectiveness"),
    "official-progress": ("official_state", "progress"),
}

Rows = list[tuple[object, object, int]]
# Labels of the rows of `_counts` that are not `PAIRS` rows.
ANSWERS, DISCREPANCIES = "answers", "discrepancies"


@dataclass
class Counts:
    """Document counts per `PAIRS` entry, "yes" answers per key, public findings per rule."""

    pairs: dict[str, Rows]
    answers: dict[str, int]
    discrepancies: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Every filtered document has one year row, NULL included."""
        return sum(n for _a, _b, n in self.pairs["anno"])


def _count_branch(first: str, second: str) -> str:
    """Documents per value of `first` (and `second`), labelled by a bound name; columns are constants."""
    pair = f"CAST({first} AS text), " + (f"CAST({second} AS text)" if second else "''")
    return (
        f"SELECT CAST(%s AS text), {pair}, COUNT(*) FROM stats_documents GROUP BY 2{', 3' if second else ''}"  # noqa: S608
    )


def merged_values(facet_key: str, rows: Rows) -> tuple[list[tuple[str, str, int]], int]:
    """(code, label, count) per facet value from (value, name, count) rows, and the count without one."""
    facet = FACETS_BY_KEY[facet_key]
    merged: dict[str, list] = {}
    missing = 0
    for value, name, n in rows:
        if value in ("", None):
            missing += n
            continue
        entry = merged.setdefault(str(value), [str(value), value_label(facet, value, name or ""), 0])
        entry[2] += n
    return [tuple(entry) for entry in merged.values()], missing


def _facet_table(
    counts: Counts, slug: str, facet_key: str, *, order_by_value: bool = False, chart: str = "bar"
) -> Table:
    facet = FACETS_BY_KEY[facet_key]
    merged, missing = merged_values(facet_key, counts.pairs[facet_key])
    rows = [[label, count, code] for code, label, count in merged]
    rows.sort(key=(lambda r: r[2]) if order_by_value else (lambda r: (-r[1], r[0])))
    table_rows = [[label, count] for label, count, _code in rows]
    if missing:
        table_rows.append([_unknown(), missing])
    return Table(slug, str(TABLE_TITLES[slug]), [str(facet.heading), _("Report")], table_rows, chart=chart)


def _crosstab(
    counts: Counts, slug: str, pair: str, row_label, col_facet: str, *, row_order=None, note=""
) -> Table:
    facet = FACETS_BY_KEY[col_facet]
    col_codes = [o.code for o in facet.options] + [""]
    cells: dict[tuple[str, str], int] = {}
    for row_value, col_value, n in counts.pairs[pair]:
        cells[(str(row_value or ""), col_value or "")] = n
    present = {r for r, _c in cells}
    ordered = [r for r in (row_order or []) if r in present] + sorted(present - set(row_order or []) - {""})
    if "" in present:
        ordered.append("")
    columns = [str(row_label), *[value_label(facet, c) if c else _unknown() for c in col_codes]]
    rows = []
    for r in ordered:
        label = (
            value_label(FACETS_BY_KEY["avanzamento"], r) if PAIRS[pair][0] == "progress" else r
        ) or _unknown()
        rows.append([label, *[cells.get((r, c), 0) for c in col_codes]])
    return Table(slug, str(TABLE_TITLES[slug]), columns, rows, chart="stacked", note=note)


def _yes_answers(report_ids: object, *, methods: bool, impact: bool) -> QuerySet | None:
    """Reports answering "yes" per method key (any answer) and impact key (public answers only).

    One GROUP BY for both lists (their keys do not overlap), the public rule applied to the
    impact keys only, as `Answer.objects.public()` would.
    """
    parts = []
    if methods:
        parts.append(Q(question__key__in=list(dict.fromkeys(METHOD_KEYS))))
    if impact:
        parts.append(Q(question__key__in=IMPACT_RESPONSE_KEYS) & AnswerQuerySet.public_q())
    if not parts:
        return None
    wanted = parts[0] | parts[1] if len(parts) > 1 else parts[0]
    return (
        Answer.objects.filter(wanted, report_id__in=report_ids, boolean=True)
        .values("question__key")
        .annotate(n=Count("report", distinct=True))
        .order_by()
    )


def _subquery_branch(query: QuerySet, key: str, db: str) -> tuple[str, tuple]:
    sql, params = query.query.get_compiler(db).as_sql()
    return f"SELECT CAST(%s AS text), {key}, '', n FROM ({sql}) stats_rows", tuple(params)  # noqa: S608


@functools.cache
def _fixed_branch(
    db: str, kind: str, *, methods: bool = False, impact: bool = False
) -> tuple[str, tuple] | None:
    """A UNION ALL branch over the CTE's report ids (yes-answers, or public findings per rule).

    It reads no filter (they are all in the CTE), so its SQL depends only on the code and the
    database: compiled once per process, as building the ORM query cost more than running it.
    """
    report_ids = RawSQL("SELECT report_id FROM stats_documents", ())
    if kind == DISCREPANCIES:
        return _subquery_branch(rule_counts(findings_of(report_ids)), "rule", db)
    answers = _yes_answers(report_ids, methods=methods, impact=impact)
    return _subquery_branch(answers, "question__key", db) if answers is not None else None


def _statement(
    documents: QuerySet, names: tuple[str, ...], *, methods: bool, impact: bool, discrepancies: bool
) -> tuple[str, list]:
    """The SQL and parameters of `_counts`: the documents as a CTE, one UNION ALL branch per count."""
    columns = list(dict.fromkeys(["report_id", *(c for name in names for c in PAIRS[name] if c)]))
    inner, params = documents.values(*columns).query.get_compiler(documents.db).as_sql()
    branches, labels = [_count_branch(*PAIRS[name]) for name in names], list(names)
    fixed = [
        (ANSWERS, _fixed_branch(documents.db, ANSWERS, methods=methods, impact=impact)),
        (DISCREPANCIES, _fixed_branch(documents.db, DISCREPANCIES) if discrepancies else None),
    ]
    for label, branch in fixed:
        if branch is not None:
            branches.append(branch[0])
            labels += [label, *branch[1]]
    if not branches:
        return "", []
    sql = f"WITH stats_documents ({', '.join(columns)}) AS ({inner}) " + " UNION ALL ".join(branches)
    return sql, [*params, *labels]


@functools.cache
def _unfiltered_statement(
    db: str, names: tuple[str, ...], *, methods: bool, impact: bool, discrepancies: bool
) -> tuple[str, tuple]:
    """`_statement` without filters: constant SQL, compiled once per process (as `_fixed_branch`),
    since building it cost as much as running it on the page everybody opens first."""
    sql, params = _statement(
        report_select(None), names, methods=methods, impact=impact, discrepancies=discrepancies
    )
    return sql, tuple(params)


def _counts(
    filters: ReportFilters | None,
    names: list[str],
    *,
    methods: bool,
    impact: bool,
    discrepancies: bool = False,
) -> Counts:
    """Every count the tables `names`, the answer tables and the findings panel need, in one statement.

    The filtered documents are compiled once into a CTE; one GROUP BY per `PAIRS` entry, the
    yes-answers and the public findings of those documents follow, joined by UNION ALL. One round
    trip and one ORM compilation of the filters, instead of one each per table (they cost more
    than the counting). SQL that SQLite and PostgreSQL share; every value comes back as text.
    """
    options = {"methods": methods, "impact": impact, "discrepancies": discrepancies}
    if filters:
        documents = report_select(filters)
        db = documents.db
        sql, params = _statement(documents, tuple(names), **options)
    else:
        db = ReportSearchDocument.objects.db  # what `report_select` reads from
        sql, params = _unfiltered_statement(db, tuple(names), **options)
    counts = Counts({name: [] for name in names}, {})
    if not sql:
        return counts
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        for name, first, second, n in cursor.fetchall():
            if name == ANSWERS:
                counts.answers[first] = n
            elif name == DISCREPANCIES:
                counts.discrepancies[first] = n
            else:
                counts.pairs[name].append((first, second, n))
    return counts


def _question_label(key: str, *, short: bool = False) -> str:
    for spec in QUESTIONNAIRES.values():
        question = spec.question(key)
        if question:
            return (question.help_it if short and question.help_it else question.label_it) or key
    return key


def _methods(counts: Counts) -> Table:
    total = counts.total
    rows = []
    for key in dict.fromkeys(METHOD_KEYS):
        n = counts.answers.get(key, 0)
        rows.append([_question_label(key), n, round(100 * n / total, 1) if total else 0])
    return Table("metodi", str(TABLE_TITLES["metodi"]), [_("Metodo"), _("Report"), _("% dei report")], rows)


def _impact(counts: Counts) -> Table:
    rows = [[_question_label(key, short=True), counts.answers.get(key, 0)] for key in IMPACT_RESPONSE_KEYS]
    return Table(
        "impatto",
        str(TABLE_TITLES["impatto"]),
        [_("Risposta"), _("Report")],
        rows,
        note=_("Solo i report la cui sezione sull'impatto (Step 3) è stata pubblicata."),
    )


def _judgement_by_progress(counts: Counts) -> Table:
    return _crosstab(
        counts,
        "giudizio-per-avanzamento",
        "progress-effectiveness",
        FACETS_BY_KEY["avanzamento"].heading,
        "efficacia",
        row_order=[o.code for o in FACETS_BY_KEY["avanzamento"].options],
        note=_(
            "Per i questionari precedenti al 2022 avanzamento ed efficacia sono ricavati dal giudizio "
            "sintetico e dalla valutazione dei risultati."
        ),
    )


def _progress_vs_official(counts: Counts) -> Table:
    return _crosstab(
        counts,
        "avanzamento-vs-stato-ufficiale",
        "official-progress",
        _("Stato ufficiale (OpenCoesione)"),
        "avanzamento",
        note=_("Lo stato ufficiale è quello registrato nei dati del progetto al momento del monitoraggio."),
    )


@dataclass(frozen=True)
class Builder:
    """A table: the `PAIRS` and answers it reads, and how it is built from them."""

    build: Callable[[Counts], Table]
    pairs: tuple[str, ...] = ()
    methods: bool = False
    impact: bool = False


BUILDERS: dict[str, Builder] = {
    "per-anno": Builder(
        lambda c: _facet_table(c, "per-anno", "anno", order_by_value=True, chart="column"), ("anno",)
    ),
    "per-regione": Builder(lambda c: _facet_table(c, "per-regione", "regione"), ("regione",)),
    "per-tema": Builder(lambda c: _facet_table(c, "per-tema", "tema"), ("tema",)),
    "giudizio-per-avanzamento": Builder(_judgement_by_progress, ("progress-effectiveness",)),
    "avanzamento-vs-stato-ufficiale": Builder(_progress_vs_official, ("official-progress",)),
    "metodi": Builder(_methods, ("anno",), methods=True),
    "impatto": Builder(_impact, impact=True),
}


def _tables(
    slugs: list[str], filters: ReportFilters | None, *, discrepancies: bool = False
) -> tuple[list[Table], Counts]:
    """The tables `slugs` (and the findings per rule), counted in one query whatever their number."""
    builders = [BUILDERS[slug] for slug in slugs]
    counts = _counts(
        filters,
        list(dict.fromkeys(p for b in builders for p in b.pairs)),
        methods=any(b.methods for b in builders),
        impact=any(b.impact for b in builders),
        discrepancies=discrepancies,
    )
    return [b.build(counts) for b in builders], counts


def stats_tables(filters: ReportFilters | None = None) -> list[Table]:
    """Every table of the statistics page, for published reports matching `filters`."""
    return _tables(list(BUILDERS), filters)[0]


def stats_table(slug: str, filters: ReportFilters | None = None) -> Table | None:
    return _tables([slug], filters)[0][0] if slug in BUILDERS else None


def statistics_page_data(filters: ReportFilters | None = None) -> tuple[list[Table], list[dict]]:
    """The page's tables and its findings panel (`discrepancy_counts(filters)`), from one query."""
    tables, counts = _tables(list(BUILDERS), filters, discrepancies=True)
    return tables, counts_per_rule(counts.discrepancies)
