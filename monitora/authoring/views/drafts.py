"""Author views for Steps 1–2: start a report, the guided form (with autosave), submit, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitora.authoring import selectors
from monitora.authoring.forms import AnswersForm, LinksForm, ReportFieldsForm
from monitora.catalogue.finding import project_find
from monitora.core.permissions import can, permission_required
from monitora.reports import services
from monitora.reports.http import load_report, lock_version_from
from monitora.reports.labels import error_lines, field_label
from monitora.reports.models import ReviewComment
from monitora.reports.selectors import report_raw_answers
from monitora.reports.services import fields as report_fields
from monitora.teams.models import Team

STEPS = {1: _("Passo 1 · Analisi desk"), 2: _("Passo 2 · Valutazione e metodo")}


@login_required
def my_area(request: HttpRequest) -> HttpResponse:
    teams = Team.objects.filter(memberships__user=request.user).order_by("name")
    reports = selectors.report_list_for_user(request.user)
    return render(
        request,
        "authoring/my_area.html",
        {"teams": teams, "reports": reports, "is_editor": can(request.user, "services.queue")},
    )


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    """`/report/nuovo/?progetto=<words, place, code or OpenCoesione URL>`: find and confirm the
    project, pick a team."""
    query = request.GET.get("progetto", "") or request.POST.get("progetto", "")
    project, code = selectors.project_from_input(query)
    teams = list(Team.objects.filter(memberships__user=request.user).order_by("name"))
    if request.method == "POST":
        team = next((t for t in teams if str(t.pk) == request.POST.get("team")), None)
        if team is None or not can(request.user, "team.create_report", team):
            messages.error(request, _("Scegli uno dei tuoi team."))
        elif project is None:
            messages.error(request, _("Progetto non trovato nel catalogo: controlla il codice o l'URL."))
        else:
            report = services.report_draft_create(by=request.user, team=team, project=project)
            messages.success(request, _("Bozza creata. Viene salvata automaticamente mentre scrivi."))
            return redirect("authoring:report_edit", report.pk)
    existing = selectors.published_reports_of(project) if project else []
    # Not a code or a URL: search the catalogue (words, a place) and let the author pick a project.
    is_url = "://" in query or query.startswith("opencoesione.gov.it")
    finding = project_find(q=query[:200], page_size=10) if query and project is None and not is_url else None
    return render(
        request,
        "authoring/report_new.html",
        {
            "query": query[:300], "project": project, "code": code, "teams": teams, "existing": existing,
            "finding": finding,
        },
    )  # fmt: skip


def _forms(request, report, step, data=None):
    raw = report_raw_answers(report)
    cup = report_fields.cup_nature_of(report)
    fields = ReportFieldsForm(
        data,
        initial={f: getattr(report, f) for f in report_fields.AUTHOR_FIELDS},
    )
    answers = AnswersForm(data, code=report.questionnaire.code, steps=(step,), answers=raw, cup_nature=cup)
    links = LinksForm(
        data,
        initial={
            f"links_{kind}": "\n".join(report.links.filter(kind=kind).values_list("url", flat=True))
            for kind in report_fields.LINK_KINDS
        },
    )
    answers.links_form = links
    return fields, answers


def _step(request) -> int:
    return 2 if request.GET.get("passo") == "2" or request.POST.get("passo") == "2" else 1


@permission_required("report.edit", load_report)
def report_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    """The guided form. POST saves (button or autosave); a stale lock_version saves nothing."""
    report = request.perm_obj
    step = _step(request)
    status = 200
    if request.method == "POST":
        fields_form, answers_form = _forms(request, report, step, request.POST)
        expected = lock_version_from(request)
        if expected is None:
            messages.error(request, _("Modulo non valido: ricarica la pagina."))
            status = 400
        elif fields_form.is_valid() and answers_form.is_valid() and answers_form.links_form.is_valid():
            fields = {k: v for k, v in fields_form.cleaned_data.items() if k in _posted(request, fields_form)}
            try:
                services.report_draft_save(
                    report=report, by=request.user, fields=fields,
                    raw_answers=answers_form.raw_answers(), expected_lock_version=expected, steps=(step,),
                    links=answers_form.links_form.links(set(request.POST)),
                )  # fmt: skip
            except services.ConcurrentEditError as exc:
                status = 409
                messages.error(request, exc.messages[0])
            except ValidationError as exc:
                status = 400
                _attach_errors(exc, fields_form, answers_form)
            else:
                if request.htmx:
                    return render(request, "authoring/_saved.html", {"report": report})
                messages.success(request, _("Bozza salvata."))
                target = request.POST.get("vai")
                next_step = 2 if target == "2" else 1 if target == "1" else step
                return redirect(f"{request.path}?passo={next_step}")
        else:
            status = 400
        if request.htmx:
            return render(request, "authoring/_saved.html", {"report": report, "failed": True}, status=status)
    else:
        fields_form, answers_form = _forms(request, report, step)
    comments = ReviewComment.objects.filter(report=report).select_related("author").order_by("created_at")
    return render(
        request,
        "authoring/report_edit.html",
        {
            "report": report,
            "step": step,
            "steps": STEPS,
            "fields_form": fields_form,
            "answers_form": answers_form,
            "lock_version": report.lock_version
            if request.method == "GET"
            else request.POST.get("lock_version"),
            "comments": comments,
            "existing": selectors.published_reports_of(report.project).exclude(pk=report.pk)
            if report.project_id
            else [],
            "variants_json": _variants(answers_form),
        },
        status=status,
    )


def _posted(request, form) -> set[str]:
    """Only the report columns present in the request are written (a step shows a subset)."""
    return {name for name in form.fields if name in request.POST}


def _variants(form: AnswersForm) -> dict:
    return {name: field.variants for name, field in form.fields.items() if hasattr(field, "variants")}


def _attach_errors(exc: ValidationError, fields_form, answers_form) -> None:
    for key, messages_ in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        if key in answers_form.links_form.fields:
            answers_form.links_form.add_error(key, messages_)
        elif key in fields_form.fields:
            fields_form.add_error(key, messages_)
        elif "q_" + key in answers_form.fields:
            answers_form.add_error("q_" + key, messages_)
        else:
            label = field_label(answers_form.spec.code, key) if key != "__all__" else ""
            answers_form.add_error(None, f"{label}: {'; '.join(messages_)}" if label else messages_)


@permission_required("report.view_draft", load_report)
def report_status(request: HttpRequest, report_id: int) -> HttpResponse:
    """The private page of a report: state, comments, next steps, and (for editors) the log."""
    from monitora.reports.models import AdministrationResponse, ReportRevision
    from monitora.reports.selectors import report_document

    report = request.perm_obj
    user = request.user
    return render(
        request,
        "authoring/report_status.html",
        {
            "report": report,
            "document": report_document(report, include_impact=True),
            "comments": ReviewComment.objects.filter(report=report).select_related("author"),
            "revisions": ReportRevision.objects.filter(report=report)[:20],
            "responses": AdministrationResponse.objects.filter(report=report),
            "can": {
                a.replace(".", "_"): can(user, a, report)
                for a in (
                    "report.edit",
                    "report.submit",
                    "report.delete",
                    "report.propose_revision",
                    "impact.edit",
                    "report.start_review",
                    "report.publish",
                    "report.view_audit_log",
                    "report.respond",
                )
            },  # fmt: skip
        },
    )


@require_POST
@permission_required("report.submit", load_report)
def report_submit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = request.perm_obj
    expected = lock_version_from(request)
    try:
        if expected is None:
            raise ValidationError(_("Modulo non valido: ricarica la pagina."))
        services.report_submit(report=report, by=request.user, expected_lock_version=expected)
    except ValidationError as exc:
        for line in error_lines(exc, report.questionnaire.code):
            messages.error(request, line)
        return redirect("authoring:report_edit", report.pk)
    messages.success(request, _("Report inviato alla redazione. Riceverai un'e-mail dopo la revisione."))
    return redirect("authoring:report_status", report.pk)


@require_POST
@permission_required("report.delete", load_report)
def report_delete(request: HttpRequest, report_id: int) -> HttpResponse:
    services.report_delete(report=request.perm_obj, by=request.user)
    messages.success(request, _("Report eliminato."))
    return redirect("authoring:my_area")
