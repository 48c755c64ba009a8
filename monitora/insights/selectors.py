"""Reads of discrepancies: the public list through the one report filter language, counts per rule."""

from collections.abc import Iterable

from django.db import models
from django.db.models import Count, QuerySet

from monitora.core.compiled import Bind, CompiledQuery
from monitora.search.filters import ReportFilters
from monitora.search.selectors import report_select

from .models import Discrepancy
from .rules import RULES, RULES_BY_CODE


def findings_of(report_ids: object) -> QuerySet:
    """Public findings on the reports whose ids `report_ids` (a subquery) gives."""
    return Discrepancy.objects.public().filter(report_id__in=report_ids)


def discrepancy_select(filters: ReportFilters | None = None, *, rules: Iterable[str] = ()) -> QuerySet:
    """Public findings on the published reports `report_select(filters)` finds, optionally by rule."""
    found = findings_of(report_select(filters).values("report_id"))
    rules = [r for r in rules if r in RULES_BY_CODE]
    if rules:
        found = found.filter(rule__in=rules)
    return found


def discrepancy_list(filters: ReportFilters | None = None, *, rules: Iterable[str] = ()) -> QuerySet:
    return (
        discrepancy_select(filters, rules=rules)
        .select_related("report", "project")
        .order_by("-found_at", "-id")
    )


def rule_counts(found: QuerySet) -> QuerySet:
    """(rule, n) of the findings `found`, in one GROUP BY."""
    return found.values("rule").annotate(n=Count("pk")).order_by()


def counts_per_rule(counts: dict[str, int]) -> list[dict]:
    """Every rule with its count (zero included), in the rules' order."""
    return [{"rule": rule, "count": counts.get(rule.code, 0)} for rule in RULES]


def discrepancy_counts(filters: ReportFilters | None = None) -> list[dict]:
    """Findings per rule (every rule listed, zero included), in the rules' order."""
    return counts_per_rule(dict(rule_counts(discrepancy_select(filters)).values_list("rule", "n")))


_REPORT_FINDINGS = CompiledQuery(
    lambda: (
        Discrepancy.objects.public()
        .filter(report_id=Bind("report", models.BigIntegerField()))
        .only("report_id", "project_id", "rule", "basis", "evidence")
        .order_by("rule")
    )
)


def report_discrepancies(report_id: int) -> list[Discrepancy]:
    """What the report page's panel shows (`_report_discrepancies.html`), on every uncached view:
    compiled once."""
    return _REPORT_FINDINGS(report=report_id)
