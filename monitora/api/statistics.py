"""Aggregate counts of published reports, with the same filters as the report list."""

from django.db.models import Count

from monitora.catalogue.models import Territory
from monitora.opendata.selectors import ANSWER_FILTERS, in_territory, published_reports, report_filter
from monitora.questionnaires.definitions import QUESTIONNAIRES
from monitora.reports.models import Answer


def _labels(key: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for spec in QUESTIONNAIRES.values():
        question = spec.question(key)
        for option in question.options if question else ():
            labels.setdefault(option.code, option.label_it)
    return labels


def report_statistics(*, filters: dict[str, object], narrow=None) -> dict:
    """`narrow` further restricts the filtered reports (the API passes its full-text words)."""
    reports = report_filter(published_reports(), filters=filters)
    if narrow is not None:
        reports = narrow(reports)
    ids = reports.values("pk")
    out: dict = {"total": reports.count()}
    out["by_year"] = [
        {"key": str(row["report_year"]), "label": str(row["report_year"]), "count": row["n"]}
        for row in reports.order_by().values("report_year").annotate(n=Count("pk")).order_by("report_year")
        if row["report_year"] is not None
    ]
    by_region = []
    for region in Territory.objects.filter(kind=Territory.Kind.REGION).order_by("code"):
        n = reports.filter(in_territory(region.code, Territory.Kind.REGION)).count()
        if n:
            by_region.append({"key": region.code, "label": region.name, "count": n})
    out["by_region"] = by_region
    out["by_theme"] = [
        {"key": row["project__theme_code"] or None, "label": row["project__theme"] or "", "count": row["n"]}
        for row in reports.order_by()
        .values("project__theme_code", "project__theme")
        .annotate(n=Count("pk"))
        .order_by("-n", "project__theme")
    ]
    out["by_questionnaire"] = [
        {"key": row["questionnaire__code"], "label": row["questionnaire__name"], "count": row["n"]}
        for row in reports.order_by()
        .values("questionnaire__code", "questionnaire__name")
        .annotate(n=Count("pk"))
        .order_by("questionnaire__code")
    ]
    for name, key in ANSWER_FILTERS.items():
        labels = _labels(key)
        rows = (
            Answer.objects.filter(report__in=ids, question__key=key, option__isnull=False)
            .values("option__code")
            .annotate(n=Count("report", distinct=True))
            .order_by("option__code")
        )
        out[f"by_{name}"] = [
            {"key": row["option__code"], "label": labels.get(row["option__code"], ""), "count": row["n"]}
            for row in rows
        ]
    return out
