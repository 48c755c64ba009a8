"""The editors' data-quality queue: reports whose import kept values aside, and the two decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitora.core.numbers import refuse_non_finite
from monitora.core.pagination import PageWindow, page_number
from monitora.core.permissions import permission_required

from . import selectors, services
from .models import QualityNote

PAGE_SIZE = 25


def _note(request: HttpRequest, note_id: int) -> QualityNote:
    return get_object_or_404(QualityNote.objects.select_related("report"), pk=note_id)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "imports:queue")


@permission_required("imports.review")
def queue(request: HttpRequest) -> HttpResponse:
    refuse_non_finite(request.GET, ["importazione", "pagina"])
    filters = selectors.QueueFilters.from_query(request.GET)
    report_ids = selectors.quality_queue_report_ids(filters)
    page = PageWindow(page_number(request.GET.get("pagina"), name="pagina"), PAGE_SIZE, len(report_ids))
    if page.beyond_last_page:  # an old link after notes were resolved: the last page, not nothing
        page.page = page.num_pages
    return render(
        request,
        "imports/queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": selectors.quality_queue(filters, page_reports=page.slice(report_ids)),
            **selectors.quality_filter_choices(),
        },
    )


@require_POST
@permission_required("imports.review", _note)
def note_accept(request: HttpRequest, note_id: int) -> HttpResponse:
    services.quality_note_accept(note=request.perm_obj, by=request.user)
    messages.success(request, _("Nota accettata."))
    return _back(request)


@require_POST
@permission_required("imports.review", _note)
def note_correct(request: HttpRequest, note_id: int) -> HttpResponse:
    try:
        services.quality_note_correct(
            note=request.perm_obj, value=request.POST.get("value", ""), by=request.user
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Valore corretto e report aggiornato."))
    return _back(request)
