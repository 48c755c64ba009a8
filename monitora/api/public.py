"""Public, read-only operations. Reports only ever come from `Report.objects.published()`."""

from decimal import Decimal
from typing import Literal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from pydantic import Field

from monitora.catalogue import selectors as catalogue
from monitora.catalogue.models import Project, Territory
from monitora.opendata.selectors import REPORT_FILTERS, parse_report_filters, published_reports
from monitora.questionnaires.definitions import QUESTIONNAIRES
from monitora.search.selectors import report_search_documents
from monitora.search.text import SearchInputError, parse_query

from .errors import ApiError, ErrorOut, reject_unknown_params
from .pagination import PAGE_PARAMS, PageParams, page_meta, paginate
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
MAX_FUNDING = 10**13  # euro; no cohesion project comes near it
PROJECT_REPORTS_INLINE = 50


def _filters(request, filters: ReportFilters, allowed: set[str]) -> tuple[dict[str, object], str]:
    """The allow-listed report filters, and the words of `q` apart: they go to the search index."""
    reject_unknown_params(request, allowed)
    raw = {k: str(v) for k, v in filters.dict(exclude_none=True).items()}
    words = raw.pop("q", "")
    return parse_report_filters(raw), words


def with_words(reports: QuerySet, words: str) -> QuerySet:
    """Keep the reports the search page finds for these words (same selector: Italian stemming,
    phrases in quotes, every word required). The index only joins published reports."""
    try:
        query = parse_query(words)
    except SearchInputError as exc:
        raise ApiError(400, f"q: {exc}") from exc
    if not query:  # only punctuation: like the search page, no restriction
        return reports
    return reports.filter(pk__in=report_search_documents(query=query).values("report_id"))


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
    parsed, words = _filters(request, filters, set(REPORT_FILTERS) | PAGE_PARAMS | {"sort"})
    presenter = ReportPresenter()
    queryset = with_words(presenter.queryset(parsed), words).order_by(*SORTS[sort.sort])
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


def _published_counts(project_ids: list[int]) -> dict[int, int]:
    rows = (
        published_reports()
        .filter(project_id__in=project_ids)
        .order_by()
        .values("project_id")
        .annotate(n=Count("pk"))
    )
    return {row["project_id"]: row["n"] for row in rows}


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
    if page.page > result.pages:
        raise ApiError(404, f"La pagina {page.page} non esiste: le pagine sono {result.pages}")
    counts = _published_counts([p.pk for p in result.results])
    return {
        **page_meta(request, page, result.total).dict(),
        "count_capped": result.total_capped,
        "results": [_project_summary(p, counts.get(p.pk, 0)) for p in result.results],
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
        **_project_summary(project, _published_counts([project.pk]).get(project.pk, 0)),
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
    parsed, words = _filters(request, filters, set(REPORT_FILTERS))
    return report_statistics(filters=parsed, narrow=lambda reports: with_words(reports, words))


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
