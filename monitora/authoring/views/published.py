"""After publication: Step 3, revisions of the published text, comment resolution, right of reply."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitora.authoring.forms import AnswersForm, ReportFieldsForm, ResponseForm
from monitora.core.permissions import can, permission_required
from monitora.core.throttle import throttled
from monitora.reports import services
from monitora.reports.http import load_report, lock_version_from
from monitora.reports.labels import error_lines
from monitora.reports.models import ReviewComment
from monitora.reports.selectors import report_raw_answers
from monitora.reports.services import fields as report_fields


def _error(request: HttpRequest, exc: ValidationError, code: str = "") -> None:
    for line in error_lines(exc, code):
        messages.error(request, line)


@permission_required("impact.edit", load_report)
def impact_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    """Step 3 (results and impact): saved as a draft, then sent to review on its own."""
    report = request.perm_obj
    raw = report_raw_answers(report)
    form = AnswersForm(
        request.POST or None, code=report.questionnaire.code, steps=(3,), answers=raw,
        cup_nature=report_fields.cup_nature_of(report),
    )  # fmt: skip
    status = 200
    if request.method == "POST":
        expected = lock_version_from(request)
        if expected is not None and form.is_valid():
            try:
                services.impact_save(
                    report=report,
                    by=request.user,
                    raw_answers=form.raw_answers(),
                    expected_lock_version=expected,
                )
                if request.POST.get("invia"):
                    services.impact_submit(
                        report=report, by=request.user, expected_lock_version=report.lock_version
                    )
                    messages.success(request, _("Step 3 inviato alla redazione."))
                    return redirect("authoring:report_status", report.pk)
                messages.success(request, _("Step 3 salvato."))
                return redirect("authoring:impact_edit", report.pk)
            except ValidationError as exc:
                status = 409 if isinstance(exc, services.ConcurrentEditError) else 400
                _error(request, exc, report.questionnaire.code)
        else:
            status = 400
    return render(
        request,
        "authoring/impact_edit.html",
        {
            "report": report,
            "form": form,
            "lock_version": request.POST.get("lock_version", report.lock_version),
        },
        status=status,
    )


@permission_required("report.propose_revision", load_report)
@throttled("email", methods=("POST",))
def revision_propose(request: HttpRequest, report_id: int) -> HttpResponse:
    """Propose an edit of the published Steps 1–2; the public page keeps the approved text."""
    report = request.perm_obj
    raw = report_raw_answers(report)
    data = request.POST or None
    fields_form = ReportFieldsForm(data, initial={f: getattr(report, f) for f in report_fields.AUTHOR_FIELDS})
    answers_form = AnswersForm(
        data,
        code=report.questionnaire.code,
        steps=(1, 2),
        answers=raw,
        cup_nature=report_fields.cup_nature_of(report),
    )
    status = 200
    if request.method == "POST":
        if fields_form.is_valid() and answers_form.is_valid():
            try:
                services.revision_propose(
                    report=report, by=request.user, fields=fields_form.cleaned_data,
                    raw_answers=answers_form.raw_answers(),
                )  # fmt: skip
            except ValidationError as exc:
                status = 400
                _error(request, exc, report.questionnaire.code)
            else:
                messages.success(
                    request,
                    _("Revisione inviata: la versione pubblicata resta visibile finché non è approvata."),
                )
                return redirect("authoring:report_status", report.pk)
        else:
            status = 400
    return render(
        request,
        "authoring/revision_propose.html",
        {"report": report, "fields_form": fields_form, "answers_form": answers_form},
        status=status,
    )


@require_POST
def comment_resolve(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(ReviewComment.objects.select_related("report__team"), pk=comment_id)
    load_report(request, comment.report_id)  # 404 for people who cannot see the report
    if not can(request.user, "comment.resolve", comment):
        messages.error(request, _("Non puoi risolvere questo commento."))
        return HttpResponse(status=403)
    try:
        services.comment_resolve(comment=comment, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    back_to_form = request.POST.get("torna") == "modifica" and can(
        request.user, "report.edit", comment.report
    )
    return redirect("authoring:report_edit" if back_to_form else "authoring:report_status", comment.report_id)


@require_POST
@permission_required("report.respond", load_report)
@throttled("email", methods=("POST",))
def response_add(request: HttpRequest, report_id: int) -> HttpResponse:
    report = request.perm_obj
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.response_add(report=report, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _error(request, exc, report.questionnaire.code)
        else:
            messages.success(request, _("Risposta ufficiale pubblicata."))
    else:
        messages.error(request, _("La risposta è vuota o troppo lunga."))
    return redirect("public:report_detail", report.pk)
