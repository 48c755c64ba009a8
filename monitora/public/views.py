"""Public pages. Every read of reports goes through `Report.objects.published()` (the one public gate)."""

from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from monitora.catalogue.changes import CATALOGUE_SCOPE
from monitora.catalogue.models import Project
from monitora.core.cachekeys import query_cache_key
from monitora.core.excerpt import beyond_title, excerpt
from monitora.core.fragments import cached_fragment
from monitora.core.pagecache import cached_public_page, is_anonymous_cacheable, remembered
from monitora.core.pagination import PageWindow, page_number
from monitora.core.siteurl import site_url
from monitora.core.throttle import throttled
from monitora.insights.panels import report_panels
from monitora.reports.changes import REPORTS_SCOPE, report_scope
from monitora.reports.models import Report
from monitora.reports.selectors import published_report_for_page
from monitora.search.selectors import project_reports_q

from .pdfstore import report_pdf_response, stored_report_pdf
from .presenters import project_facts, report_context, subject_groups

PAGE_SIZE = 25
HOME_LATEST = 6
LISTS = (REPORTS_SCOPE, CATALOGUE_SCOPE)


@dataclass
class ReportPage(PageWindow):
    items: list[Report] = field(default_factory=list)


def _published_or_404(report_id: int) -> Report:
    report = published_report_for_page(report_id)
    if report is None:
        raise Http404
    return report


@cached_public_page(LISTS)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest = Report.objects.published().for_cards()[:HOME_LATEST]
    return render(request, "public/home.html", {"latest": latest})


@cached_public_page(LISTS)
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    reports = Report.objects.published().for_cards()
    window = PageWindow(page_number(request.GET.get("page")), PAGE_SIZE, reports.count())
    if window.page > window.num_pages:  # a stale link: show the last page, as before
        window.page = window.num_pages
    page = ReportPage(window.page, window.page_size, window.total)

    def results() -> str:
        page.items = window.slice(reports)
        return render_to_string("public/_report_results.html", {"page": page}, request)

    # The same for everyone: kept per page, language and version (`core.fragments`). htmx swaps
    # #report-results out of the full page (hx-select), so one response serves both.
    results_html = cached_fragment(f"report_list:{page.page}", LISTS, results)
    return render(request, "public/report_list.html", {"page": page, "results": results_html})


def _report_parts(request: HttpRequest, report_id: int) -> dict[str, str]:
    """The report page without the site around it: title, description, <head> extras, article."""
    report = _published_or_404(report_id)
    context = report_context(report) | report_panels(report)
    return {
        "title": report.title,
        "description": context["summary"] or report.title,
        "head": render_to_string("public/_report_head.html", context, request),
        "article": render_to_string("public/_report_article.html", context, request),
    }


def _report_scopes(report_id: int) -> tuple[str, ...]:
    """A report page also lists other reports (same project, similar ones): it moves on with every
    published report, or a withdrawn one would stay linked there. The PDF shows only its report."""
    return (report_scope(report_id), REPORTS_SCOPE, CATALOGUE_SCOPE)


@cached_public_page(_report_scopes)
@require_safe
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    # Anonymous visitors all see the same article (no forms, no permissions): it is kept per
    # version of the report (the page's own scopes), so a page-cache miss costs no SQL.
    if is_anonymous_cacheable(request):
        parts = cached_fragment(
            f"report:{report_id}", _report_scopes(report_id), lambda: _report_parts(request, report_id)
        )
    else:
        parts = _report_parts(request, report_id)
    return render(request, "public/report_detail.html", parts)


@require_safe
@throttled("pdf")
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponseBase:
    """The stored PDF of this version of the report (rendered now, once, if the task has not yet)."""

    def render_pdf() -> str:
        report = _published_or_404(report_id)
        return stored_report_pdf(report=report, context=report_context(report))

    return remembered(
        # The PDF shows the language (part of every key) and, in development, the served host.
        query_cache_key("report-pdf", {"report_id": report_id, "site": site_url()}),
        (report_scope(report_id), CATALOGUE_SCOPE),
        compute=render_pdf,
        use=lambda name: report_pdf_response(request, name=name, report_id=report_id),
        gone=FileNotFoundError,  # replaced by a newer version meanwhile: look again
    )


@cached_public_page(())
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice that sign-up asks people to accept; controller and contact come from settings."""
    contact = settings.PRIVACY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    context = {"controller": settings.PRIVACY_CONTROLLER, "contact": contact}
    return render(request, "public/privacy.html", context)


@cached_public_page(LISTS)
@require_safe
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.public(), code=code)
    # OpenCoesione's summary is often the title again: then the page shows no "Sintesi".
    summary = beyond_title(project.summary, project.title) and project.summary
    context = {
        "project": project,
        "summary": summary,
        "description": excerpt(project.title, [project.summary]) or project.title or project.code,
        "reports": Report.objects.published().for_cards().filter(project_reports_q(project.code)),
        "facts": project_facts(project),
        "subjects": subject_groups(project.subjects),
        "territories": [str(t) for t in project.territories.all()],
        "permalink": site_url() + reverse("public:project_detail", args=[project.code]),
    }
    return render(request, "public/project_detail.html", context)
