"""Public, read-only operations. Reports only ever come from `Report.objects.published()`."""

from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from pydantic import Field

from monitora.catalogue import selectors as catalogue
from monitora.catalogue.models import Project, Territory
from monitora.questionnaires.definitions import QUESTIONNAIRES
from monitora.reports.models import Report
from monitora.search.filters import FILTER_NAMES, FilterError, ReportFilters, parse_report_filters
from monitora.search.selectors import project_report_counts
from monitora.stats.apicounts import report_statistics

from .errors import ApiError, ErrorOut, reject_unknown_params
from .pagination import PAGE_PARAMS, PageParams, page_meta, paginate
from .presenters import ReportPresenter
from .schemas import (
    ProjectDetail,
    ProjectPage,
    QuestionnaireOut,
    ReportDetail,
    ReportFilterParams,
    ReportPage,
    Statistics,
    TerritoryPage,
)

router = Router()
ERRORS = {400: ErrorOut, 404: ErrorOut}
MAX_ID = 2**63 - 1
MAX_FUNDING = 10**13  # euro; no cohesion project comes near it
PROJECT_REPORTS_INLINE = 50


def _report_filters(request, extra: set[str]) -> ReportFilters:
    """The report filters of the query string, through the one parser of every channel."""
    reject_unknown_params(request, set(FILTER_NAMES) | extra)
    try:
        return parse_report_filters(request.GET, ignore=extra)
    except FilterError as exc:
        raise ApiError(400, str(exc)) from exc


# Allow-listed sort keys -> ORDER BY (the primary key keeps pages stable).
SORTS = {
    "-published_at": ("-published_at", "-pk"),
    "published_at": ("published_at", "pk"),
    "-submitted_at": ("-submitted_at", "-pk"),
    "submitted_at": ("submitted_at", "pk"),
    "title": ("title", "pk"),
}


class SortParam(Schema):
    sort: Literal[tuple(SORTS)] = Field("-published_at", description="Ordine: " + ", ".join(SORTS))  # type: ignore[valid-type]


@router.get("/reports", response={200: ReportPage, **ERRORS}, url_name="report_list", tags=["report"])
def report_list(request, filters: Query[ReportFilterParams], page: Query[PageParams], sort: Query[SortParam]):
    """Published reports, newest first unless `sort` says otherwise, filtered by the allow-listed filters."""
    presenter = ReportPresenter()
    queryset = presenter.queryset(_report_filters(request, PAGE_PARAMS | {"sort"})).order_by(
        *SORTS[sort.sort]
    )
    meta, items = paginate(request, queryset, page)
    return {**meta.dict(), "results": [presenter.summary(report) for report in items]}


@router.get(
    "/reports/{report_id}", response={200: ReportDetail, **ERRORS}, url_name="report_detail", tags=["report"]
)
def report_detail(request, report_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published report with every answer as {key, label, value, value_label}."""
    reject_unknown_params(request, set())
    presenter = ReportPresenter()
    try:
        report = presenter.one(report_id)
    except Report.DoesNotExist:
        raise Http404("Report inesistente") from None
    return presenter.detail(report)


class ProjectFilters(Schema):
    """The filters of the catalogue search page, typed: a value outside them is a 400."""

    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Parole (con radice italiana: «scuole» trova «scuola»), oppure CUP o codice esatto",
    )
    region: str | None = Field(None, pattern=r"^\d{2}$", description="Codice ISTAT della regione (es. 15)")
    province: str | None = Field(
        None, pattern=r"^\d{3}$", description="Codice ISTAT della provincia (es. 061)"
    )
    comune: str | None = Field(None, pattern=r"^\d{6}$", description="Codice ISTAT del comune (es. 061022)")
    theme: str | None = Field(
        None, min_length=1, max_length=200, description="Codice (es. 09) o nome esatto del tema"
    )
    cycle: str | None = Field(
        None, min_length=1, max_length=200, description="Codice o nome esatto del ciclo di programmazione"
    )
    programme: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_.\-]{1,40}$", description="Codice del programma (es. 2014IT16RFOP020)"
    )
    state: str | None = Field(None, min_length=1, max_length=100, description="Stato del progetto, esatto")
    funding_min: float | None = Field(
        None, ge=0, le=MAX_FUNDING, allow_inf_nan=False, description="Finanziamento pubblico minimo (euro)"
    )
    funding_max: float | None = Field(
        None, ge=0, le=MAX_FUNDING, allow_inf_nan=False, description="Finanziamento pubblico massimo (euro)"
    )
    sort: Literal[catalogue.SORTS] = Field(  # type: ignore[valid-type]
        "relevance",
        description="relevance (pertinenza alle parole; senza parole come -funding), -funding, funding",
    )


def _project_summary(project: Project, published: int) -> dict:
    return {
        "code": project.code,
        "cup": project.cup,
        "title": project.title,
        "theme_code": project.theme_code,
        "theme": project.theme,
        "cycle": project.cycle,
        "state": project.state,
        "net_public_funding": float(project.net_public_funding)
        if project.net_public_funding is not None
        else None,
        "opencoesione_url": project.opencoesione_url,
        "published_reports": published,
    }


def _amount(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@router.get("/projects", response={200: ProjectPage, **ERRORS}, url_name="project_list", tags=["progetti"])
def project_list(request, filters: Query[ProjectFilters], page: Query[PageParams]):
    """Search the OpenCoesione catalogue exactly like the project search page (same selector).

    Totals stop at 1000 (`count_capped` says so) and relevance is ranked over the best 1000 matches,
    so the cost of a query does not grow with the catalogue.
    """
    reject_unknown_params(request, set(ProjectFilters.model_fields) | PAGE_PARAMS)
    if (
        filters.funding_min is not None
        and filters.funding_max is not None
        and filters.funding_min > filters.funding_max
    ):
        raise ApiError(400, "funding_min non può superare funding_max")
    result = catalogue.project_search(
        **filters.dict(exclude={"funding_min", "funding_max"}),
        funding_min=_amount(filters.funding_min),
        funding_max=_amount(filters.funding_max),
        page=page.page,
        page_size=page.page_size,
    )
    if page.page > result.num_pages:
        raise ApiError(404, f"La pagina {page.page} non esiste: le pagine sono {result.num_pages}")
    counts = project_report_counts([p.code for p in result.results])
    return {
        **page_meta(request, page, result.total).dict(),
        "count_capped": result.total_capped,
        "results": [_project_summary(p, counts.get(p.code, 0)) for p in result.results],
    }


def _territory(t: Territory) -> dict:
    return {
        "code": t.code,
        "kind": t.kind,
        "name": t.name,
        "parent_code": t.parent.code if t.parent else None,
        "latitude": t.latitude,
        "longitude": t.longitude,
    }


def _get_project(code: str) -> Project:
    if "\x00" in code or len(code) > 100:
        raise Http404("Progetto inesistente")
    return get_object_or_404(Project.objects.public(), code=code)


@router.get(
    "/projects/{path:code}/reports",
    response={200: ReportPage, **ERRORS},
    url_name="project_reports",
    tags=["progetti"],
)
def project_reports(request, code: str, page: Query[PageParams]):
    """The published reports on one project, newest first."""
    reject_unknown_params(request, PAGE_PARAMS)
    project = _get_project(code)
    presenter = ReportPresenter()
    queryset = presenter.queryset(ReportFilters(project_code=(project.code,)))
    meta, items = paginate(request, queryset, page)
    return {**meta.dict(), "results": [presenter.summary(report) for report in items]}


@router.get(
    "/projects/{path:code}",
    response={200: ProjectDetail, **ERRORS},
    url_name="project_detail",
    tags=["progetti"],
)
def project_detail(request, code: str):
    """One project with its territories, subjects and (up to 50) published reports."""
    reject_unknown_params(request, set())
    project = _get_project(code)
    presenter = ReportPresenter()
    reports = presenter.queryset(ReportFilters(project_code=(project.code,)))
    return {
        **_project_summary(project, project_report_counts([project.code]).get(project.code, 0)),
        "summary": project.summary,
        "programmes": project.programmes or [],
        "fund": project.fund,
        "start_date": project.start_date,
        "planned_end_date": project.planned_end_date,
        "actual_end_date": project.actual_end_date,
        "subjects": project.subjects or [],
        "territories": [_territory(t) for t in project.territories.select_related("parent")],
        "reports": [presenter.summary(r) for r in reports[:PROJECT_REPORTS_INLINE]],
    }


@router.get("/statistics", response={200: Statistics, **ERRORS}, url_name="statistics", tags=["statistiche"])
def statistics(request, filters: Query[ReportFilterParams]):
    """Counts of published reports by year, region, theme, questionnaire and judgement (the engine
    of the statistics page: harmonised judgements, the report's own region)."""
    return report_statistics(_report_filters(request, set()))


class TerritoryFilters(Schema):
    kind: Territory.Kind | None = Field(None, description="R regione, P provincia, C comune")
    parent: str | None = Field(None, min_length=1, max_length=10, description="Codice del territorio padre")
    q: str | None = Field(None, min_length=1, max_length=100, description="Parte del nome")


@router.get(
    "/territories", response={200: TerritoryPage, **ERRORS}, url_name="territory_list", tags=["territori"]
)
def territory_list(request, filters: Query[TerritoryFilters], page: Query[PageParams]):
    """Regions, provinces and comuni with ISTAT codes and centroids."""
    reject_unknown_params(request, set(TerritoryFilters.model_fields) | PAGE_PARAMS)
    territories = Territory.objects.select_related("parent").order_by("kind", "name", "code")
    if filters.kind:
        territories = territories.filter(kind=filters.kind)
    if filters.parent:
        territories = territories.filter(parent__code=filters.parent)
    if filters.q:
        territories = territories.filter(name__icontains=filters.q)
    meta, items = paginate(request, territories, page)
    return {**meta.dict(), "results": [_territory(t) for t in items]}


@router.get(
    "/questionnaires",
    response={200: list[QuestionnaireOut], **ERRORS},
    url_name="questionnaires",
    tags=["questionari"],
)
def questionnaires(request):
    """Every questionnaire version with its questions and option codes, to decode the answers."""
    reject_unknown_params(request, set())
    return [
        {
            "code": spec.code,
            "name": spec.name,
            "valid_from": spec.valid_from,
            "valid_to": spec.valid_to,
            "questions": [
                {
                    "key": q.key,
                    "kind": q.kind.value,
                    "step": q.step,
                    "section": q.section,
                    "label": q.label_it,
                    "label_en": q.label_en,
                    "required": q.required,
                    "options": [
                        {"code": o.code, "label": o.label_it, "label_en": o.label_en, "variants": o.variants}
                        for o in q.options
                    ],
                }
                for q in spec.questions
            ],
        }
        for spec in QUESTIONNAIRES.values()
    ]
