from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from monitora.catalogue.models import Project
from monitora.reports.models import Report
from monitora.reports.selectors import report_document, report_list_published

PAGE_SIZE = 25


def home(request: HttpRequest) -> HttpResponse:
    latest = report_list_published()[:6]
    return render(request, "public/home.html", {"latest": latest})


def report_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(report_list_published(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "public/report_list.html", {"page": page})


def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        report = report_list_published().get(pk=report_id)
    except Report.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "public/report_detail.html",
        {"report": report, "document": report_document(report), "snapshot": report.project_snapshot},
    )


def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.public(), code=code)
    reports = report_list_published().filter(project=project)
    return render(request, "public/project_detail.html", {"project": project, "reports": reports})
