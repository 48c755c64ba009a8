"""Public list of discrepancies and the editors' dismissal form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from monitora.core.pagination import PageWindow, page_number
from monitora.core.permissions import can
from monitora.search import geo
from monitora.search.filters import FilterError, ReportFilters, html_filters
from monitora.search.models import ReportSearchDocument

from .discrepancies import discrepancy_dismiss
from .models import Discrepancy
from .rules import RULES, RULES_BY_CODE
from .selectors import discrepancy_counts, discrepancy_list

PAGE_SIZE = 25


@require_safe
def discrepancy_index(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        filters = html_filters(request.GET, ignore=("regola", "page"))
    except FilterError as exc:
        filters, error = ReportFilters(), str(exc)
    rules = [r for r in request.GET.getlist("regola") if r in RULES_BY_CODE]
    found = discrepancy_list(filters, rules=rules)
    window = PageWindow(page_number(request.GET.get("page")), PAGE_SIZE, found.count())
    context = {
        "items": window.slice(found),
        "window": window,
        "rules": RULES,
        "rules_by_code": RULES_BY_CODE,
        "selected_rules": rules,
        "counts": discrepancy_counts(filters),
        "filters": filters,
        "error": error,
        "query": _without_page(request),
        "regions": sorted(((c, p.name) for c, p in geo.regions().items()), key=lambda item: item[1]),
        "themes": _themes(),
    }
    return render(request, "insights/discrepancy_list.html", context, status=400 if error else 200)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _themes() -> list[tuple[str, str]]:
    rows = ReportSearchDocument.objects.exclude(theme="").values_list("theme", "theme_name").distinct()
    return sorted(set(rows), key=lambda item: item[1] or item[0])


@require_POST
def discrepancy_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    discrepancy = get_object_or_404(Discrepancy, pk=pk)
    if not can(request.user, "discrepancy.dismiss", discrepancy):
        return HttpResponse(status=403)
    try:
        discrepancy_dismiss(discrepancy=discrepancy, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Discrepanza archiviata."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("public:report_detail", discrepancy.report_id)
