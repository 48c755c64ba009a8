"""Editor (redazione) views: queue, review page, transitions, per-field comments, revisions, log."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitora.accounts.services import representative_verify
from monitora.core.permissions import can, permission_required
from monitora.reports import services
from monitora.reports.http import load_report as get_report
from monitora.reports.http import lock_version_from
from monitora.reports.labels import error_lines
from monitora.reports.models import AdministrationResponse, ReportRevision, ReviewComment
from monitora.reports.selectors import report_document

from .audit import report_audit_lines
from .forms import NoteForm, ReviewCommentForm, UnpublishForm
from .selectors import report_review_queue, review_materials

# action -> (permission, service, the service's argument that receives the editor's note).
# Every action takes the note typed on the review page: it goes to the authors and the log.
ACTIONS = {
    "start_review": ("report.start_review", services.report_start_review, "note"),
    "request_changes": ("report.request_changes", services.report_request_changes, "message"),
    "publish": ("report.publish", services.report_publish, "note"),
    "reject": ("report.reject", services.report_reject, "reason"),
    "unpublish": ("report.unpublish", services.report_unpublish, "reason"),
    "impact_request_changes": ("impact.request_changes", services.impact_request_changes, "message"),
    "impact_publish": ("impact.publish", services.impact_publish, "note"),
}


def _error(request: HttpRequest, exc: ValidationError, code: str = "") -> None:
    for line in error_lines(exc, code):
        messages.error(request, line)


@permission_required("moderation.queue")
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/queue.html", {"reports": report_review_queue(request.user)})


@permission_required("report.start_review", get_report)
def review(request: HttpRequest, report_id: int) -> HttpResponse:
    report = request.perm_obj
    return render(
        request,
        "moderation/review.html",
        {
            "report": report,
            "document": report_document(report, include_impact=True),
            "comments": ReviewComment.objects.filter(report=report).select_related("author"),
            "comment_form": ReviewCommentForm(questionnaire_code=report.questionnaire.code),
            "note_form": NoteForm(),
            "unpublish_form": UnpublishForm(auto_id="id_unpublish_%s"),
            "revisions": ReportRevision.objects.filter(report=report, status="pending"),
            **review_materials(report),
        },
    )


@require_POST
def act(request: HttpRequest, report_id: int) -> HttpResponse:
    """One endpoint, one service per `action`; the permission is the service's own action."""
    report = get_report(request, report_id)
    entry = ACTIONS.get(request.POST.get("action", ""))
    if entry is None:
        raise Http404
    perm, service, note_arg = entry
    if not can(request.user, perm, report):
        raise PermissionDenied(perm)
    expected = lock_version_from(request)
    if expected is None:
        messages.error(request, _("Modulo non valido: ricarica la pagina."))
        return redirect("moderation:review", report.pk)
    kwargs = {note_arg: request.POST.get("note", "")[:5000]}
    try:
        service(report=report, by=request.user, expected_lock_version=expected, **kwargs)
    except ValidationError as exc:
        _error(request, exc, report.questionnaire.code)
    else:
        messages.success(request, _("Fatto: il report ora è «%(s)s».") % {"s": report.get_status_display()})
    return redirect("moderation:review", report.pk)


@require_POST
@permission_required("report.comment", get_report)
def comment_add(request: HttpRequest, report_id: int) -> HttpResponse:
    report = request.perm_obj
    form = ReviewCommentForm(request.POST, questionnaire_code=report.questionnaire.code)
    if form.is_valid():
        try:
            services.comment_add(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc, report.questionnaire.code)
        else:
            messages.success(request, _("Commento aggiunto."))
    else:
        messages.error(request, _("Commento non valido: scegli un campo e scrivi il testo."))
    return redirect("moderation:review", report.pk)


@require_POST
def revision_decide(request: HttpRequest, revision_id: int) -> HttpResponse:
    revision = get_object_or_404(
        ReportRevision.objects.select_related("report__team", "report__questionnaire"), pk=revision_id
    )
    report = get_report(request, revision.report_id)
    approve = request.POST.get("decision") == "approve"
    if not can(request.user, "revision.approve" if approve else "revision.reject", report):
        raise PermissionDenied
    try:
        if approve:
            expected = lock_version_from(request)
            if expected is None:
                raise ValidationError(_("Modulo non valido: ricarica la pagina."))
            services.revision_approve(
                revision=revision,
                by=request.user,
                expected_lock_version=expected,
                note=request.POST.get("note", "")[:5000],
            )
            messages.success(request, _("Revisione approvata e applicata."))
        else:
            services.revision_reject(revision=revision, by=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Revisione respinta."))
    except ValidationError as exc:
        _error(request, exc, report.questionnaire.code)
    return redirect("moderation:review", report.pk)


@permission_required("report.view_audit_log", get_report)
def audit_log(request: HttpRequest, report_id: int) -> HttpResponse:
    report = request.perm_obj
    return render(
        request, "moderation/audit_log.html", {"report": report, "lines": report_audit_lines(report)}
    )


@permission_required("user.verify_representative")
def representatives(request: HttpRequest) -> HttpResponse:
    """Editors mark an account as the verified representative of an administration."""
    if request.method == "POST":
        user = get_user_model().objects.filter(email__iexact=request.POST.get("email", "").strip()).first()
        if user is None:
            messages.error(request, _("Nessun account con questo indirizzo."))
        else:
            try:
                representative_verify(
                    user=user,
                    by=request.user,
                    administration_name=request.POST.get("administration_name", ""),
                )
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Rappresentante verificato."))
        return redirect("moderation:representatives")
    from monitora.accounts.models import Profile

    verified = Profile.objects.filter(representative_verified_at__isnull=False).select_related("user")
    return render(request, "moderation/representatives.html", {"verified": verified})


@require_POST
def response_hide(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_object_or_404(AdministrationResponse, pk=response_id)
    if not can(request.user, "response.hide", response):
        raise PermissionDenied
    services.response_hide(response=response, by=request.user, reason=request.POST.get("note", "")[:5000])
    messages.success(request, _("Risposta nascosta."))
    return redirect("public:report_detail", response.report_id)
