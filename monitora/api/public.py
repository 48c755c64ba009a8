"""Public, read-only operations. Reports only ever come from `Report.objects.published()`."""

from typing import Literal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from pydantic import Field

from monitora.catalogue.models import Project, Territory
from monitora.opendata.selectors import REPORT_FILTERS, parse_report_filters, published_reports
from monitora.questionnaires.definitions import QUESTIONNAIRES

from .errors import ErrorOut, reject_unknown_params
from .pagination import PAGE_PARAMS, PageParams, paginate
from .presenters import ReportPresenter
from .schemas import (
    ProjectDetail,
    ProjectPage,
    QuestionnaireOut,
    ReportDetail,
    ReportFilters,
    ReportPage,
    Statistics,
    TerritoryPage,
)
from .statistics import report_statistics

router = Router()
ERRORS = {400: ErrorOut, 404: ErrorOut}
MAX_ID = 2**63 - 1
PROJECT_REPORTS_INLINE = 50


def _filters(request, filters: ReportFilters, extra: set[str] = frozenset()) -> dict[str, object]:
    reject_unknown_params(request, set(REPORT_FILTERS) | PAGE_PARAMS | extra)
    raw = {k: str(v) for k, v in filters.dict(exclude_none=True).items()}
    return parse_report_filters(raw)


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
def report_list(request, filters: Query[ReportFilters], page: Query[PageParams], sort: Query[SortParam]):
    """Published reports, newest first unless `sort` says otherwise, filtered by the allow-listed filters."""
    presenter = ReportPresenter()
    queryset = presenter.queryset(_filters(request, filters, {"sort"})).order_by(*SORTS[sort.sort])
    meta, items = paginate(request, queryset, page)
    return {**meta.dict(), "results": [presenter.summary(report) for report in items]}


@router.get(
    "/reports/{report_id}", response={200: ReportDetail, **ERRORS}, url_name="report_detail", tags=["report"]
)
def report_detail(request, report_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published report with every answer as {key, label, value, value_label}."""
    reject_unknown_params(request, set())
    presenter = ReportPresenter()
    report = get_object_or_404(presenter.queryset(), pk=report_id)
    return presenter.detail(report)


class ProjectFilters(Schema):
    q: str | None = Field(None, min_length=1, max_length=200, description="Parole del titolo, CUP o codice")
    region: str | None = Field(None, min_length=1, max_length=10, description="Codice ISTAT della regione")
    theme: str | None = Field(None, min_length=1, max_length=200, description="Codice o nome del tema")
    cycle: str | None = Field(None, min_length=1, max_length=200, description="Ciclo di programmazione")
    state: str | None = Field(None, min_length=1, max_length=100, description="Stato del progetto")
    with_reports: bool | None = Field(None, description="Solo i progetti con report pubblicati")


def _published_count():
    counts = (
        published_reports()
        .filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _project_summary(project: Project) -> dict:
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
        "published_reports": project.published_reports,
    }


def project_search(filters: ProjectFilters):
    """Public catalogue projects matching the filters (simple filters until the catalogue search lands)."""
    projects = Project.objects.public().annotate(published_reports=_published_count())
    if filters.q:
        projects = projects.filter(
            Q(title__icontains=filters.q) | Q(code__iexact=filters.q) | Q(cup__iexact=filters.q)
        )
    if filters.region:
        link = Project.territories.through
        region = Q(territory__code=filters.region, territory__kind=Territory.Kind.REGION)
        region |= Q(territory__parent__code=filters.region, territory__parent__kind=Territory.Kind.REGION)
        region |= Q(
            territory__parent__parent__code=filters.region,
            territory__parent__parent__kind=Territory.Kind.REGION,
        )
        projects = projects.filter(pk__in=link.objects.filter(region).values("project_id"))
    if filters.theme:
        projects = projects.filter(Q(theme_code=filters.theme) | Q(theme__iexact=filters.theme))
    if filters.cycle:
        projects = projects.filter(Q(cycle_code=filters.cycle) | Q(cycle__iexact=filters.cycle))
    if filters.state:
        projects = projects.filter(state__iexact=filters.state)
    if filters.with_reports:
        projects = projects.filter(published_reports__gt=0)
    return projects.order_by("code")


@router.get("/projects", response={200: ProjectPage, **ERRORS}, url_name="project_list", tags=["progetti"])
def project_list(request, filters: Query[ProjectFilters], page: Query[PageParams]):
    """Projects of the OpenCoesione catalogue, with the number of published reports on each."""
    reject_unknown_params(request, set(ProjectFilters.model_fields) | PAGE_PARAMS)
    meta, items = paginate(request, project_search(filters), page)
    return {**meta.dict(), "results": [_project_summary(p) for p in items]}


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
    projects = Project.objects.public().annotate(published_reports=_published_count())
    return get_object_or_404(projects, code=code)


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
    queryset = presenter.queryset().filter(Q(project=project) | Q(project_code=project.code))
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
    reports = presenter.queryset().filter(Q(project=project) | Q(project_code=project.code))
    return {
        **_project_summary(project),
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
def statistics(request, filters: Query[ReportFilters]):
    """Counts of published reports by year, region, theme, questionnaire and closed answers."""
    reject_unknown_params(request, set(REPORT_FILTERS))
    raw = {k: str(v) for k, v in filters.dict(exclude_none=True).items()}
    return report_statistics(filters=parse_report_filters(raw))


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
