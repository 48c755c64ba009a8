"""Public pages. Every read of reports goes through `Report.objects.published()` (the one public gate)."""

from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from monitora.catalogue.models import Project
from monitora.core.excerpt import beyond_title, excerpt
from monitora.core.pagination import PageWindow, page_number
from monitora.reports.models import Report
from monitora.reports.selectors import report_document
from monitora.search.selectors import project_reports_q

from .pdf import report_pdf_bytes
from .presenters import (
    Materials,
    project_facts,
    report_sidebar,
    report_summary,
    subject_groups,
    translated_sections,
)

PAGE_SIZE = 25
HOME_LATEST = 6


def _published():
    return Report.objects.published().with_public_relations()


@dataclass
class ReportPage(PageWindow):
    items: list[Report] = field(default_factory=list)


def _published_or_404(report_id: int) -> Report:
    try:
        return _published().prefetch_related("links").get(pk=report_id)
    except Report.DoesNotExist:
        raise Http404 from None


def _report_context(report: Report) -> dict:
    document = report_document(report)
    sidebar = report_sidebar(report, document)
    permalink = settings.SITE_URL + reverse("public:report_detail", args=[report.pk])
    return {
        "report": report,
        "document": document,
        "sections": translated_sections(document),
        "sidebar": sidebar,
        "summary": report_summary(document),
        "permalink": permalink,
        "preview_image": _preview_image(sidebar.materials),
    }


def _preview_image(materials: Materials) -> str:
    """Absolute URL of the social preview image: the uploaded cover first, else a linked image."""
    if materials.uploads:
        return settings.SITE_URL + reverse("attachments:file", args=[materials.uploads[0].pk])
    return materials.images[0].url if materials.images else ""


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest = _published()[:HOME_LATEST]
    return render(request, "public/home.html", {"latest": latest})


@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    reports = _published()
    window = PageWindow(page_number(request.GET.get("page")), PAGE_SIZE, reports.count())
    if window.page > window.num_pages:  # a stale link: show the last page, as before
        window.page = window.num_pages
    page = ReportPage(window.page, window.page_size, window.total, items=window.slice(reports))
    # htmx swaps #report-results out of the full page (hx-select), so one response serves both.
    return render(request, "public/report_list.html", {"page": page})


@require_safe
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _published_or_404(report_id)
    return render(request, "public/report_detail.html", _report_context(report))


@require_safe
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _published_or_404(report_id)
    pdf = report_pdf_bytes(context=_report_context(report), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="monitora-report-{report.pk}.pdf"'
    return response


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice that sign-up asks people to accept; controller and contact come from settings."""
    contact = settings.PRIVACY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    context = {"controller": settings.PRIVACY_CONTROLLER, "contact": contact}
    return render(request, "public/privacy.html", context)


@require_safe
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.public(), code=code)
    # OpenCoesione's summary is often the title again: then the page shows no "Sintesi".
    summary = beyond_title(project.summary, project.title) and project.summary
    context = {
        "project": project,
        "summary": summary,
        "description": excerpt(project.title, [project.summary]) or project.title or project.code,
        "reports": _published().filter(project_reports_q(project.code)),
        "facts": project_facts(project),
        "subjects": subject_groups(project.subjects),
        "territories": [str(t) for t in project.territories.all()],
        "permalink": settings.SITE_URL + reverse("public:project_detail", args=[project.code]),
    }
    return render(request, "public/project_detail.html", context)
