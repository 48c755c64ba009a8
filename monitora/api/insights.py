"""Discrepancies between citizens' reports and official data (public, read-only)."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from monitora.insights.rules import RULES, RULES_BY_CODE
from monitora.insights.selectors import discrepancy_list
from monitora.search.filters import FILTER_NAMES, FilterError, parse_report_filters

from .errors import ApiError, ErrorOut, reject_unknown_params
from .pagination import PAGE_PARAMS, PageMeta, PageParams, paginate
from .schemas import ReportFilterParams

router = Router()
RuleCode = Literal[tuple(RULES_BY_CODE)]  # type: ignore[valid-type]


class RuleParam(Schema):
    rule: RuleCode | None = Field(None, description="Codice della regola: " + ", ".join(RULES_BY_CODE))


class RuleOut(Schema):
    code: str
    title: str
    explanation: str
    params: dict


class DiscrepancyOut(Schema):
    id: int
    rule: str
    rule_title: str
    report_id: int
    report_url: str
    report_title: str
    project_code: str | None
    basis: Literal["snapshot", "current"] = Field(
        description="snapshot: dati ufficiali al momento del report; current: dati ufficiali oggi"
    )
    evidence: dict = Field(description="I valori confrontati: cittadini e dati ufficiali")
    found_at: datetime


class DiscrepancyPage(PageMeta):
    rules: list[RuleOut]
    results: list[DiscrepancyOut]


def _out(item) -> dict:
    return {
        "id": item.pk,
        "rule": item.rule,
        "rule_title": str(RULES_BY_CODE[item.rule].title) if item.rule in RULES_BY_CODE else item.rule,
        "report_id": item.report_id,
        "report_url": settings.SITE_URL + reverse("public:report_detail", args=[item.report_id]),
        "report_title": item.report.title,
        "project_code": item.project.code if item.project_id else None,
        "basis": item.basis,
        "evidence": item.evidence,
        "found_at": item.found_at,
    }


@router.get(
    "/discrepancies",
    response={200: DiscrepancyPage, 400: ErrorOut, 404: ErrorOut},
    url_name="discrepancy_list",
    tags=["discrepanze"],
)
def discrepancy_list_api(
    request, filters: Query[ReportFilterParams], rule: Query[RuleParam], page: Query[PageParams]
):
    """Discrepancies still holding and not dismissed, newest first; the report filters select the reports."""
    extra = PAGE_PARAMS | {"rule"}
    reject_unknown_params(request, set(FILTER_NAMES) | extra)
    try:
        parsed = parse_report_filters(request.GET, ignore=extra)
    except FilterError as exc:
        raise ApiError(400, str(exc)) from exc
    found = discrepancy_list(parsed, rules=[rule.rule] if rule.rule else [])
    meta, items = paginate(request, found, page)
    rules = [
        {"code": r.code, "title": str(r.title), "explanation": str(r.explanation), "params": r.params}
        for r in RULES
    ]
    return {**meta.dict(), "rules": rules, "results": [_out(item) for item in items]}
