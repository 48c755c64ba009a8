"""Authenticated operations for authors: personal token in `Authorization: Bearer <token>`.

Only reports of the caller's teams are visible here (drafts included). Writes go through the same
services as the web form, so permissions (`core.permissions`), validation and optimistic locking
are the form's own.
"""

from django.http import Http404
from ninja import Path, Query, Router, Status
from ninja.security import HttpBearer

from monitora.authoring.selectors import project_from_input, report_list_for_user
from monitora.reports.models import Report
from monitora.reports.permissions import EDITABLE
from monitora.reports.selectors import report_raw_answers
from monitora.teams.models import Team

from .errors import ApiError, ErrorOut, reject_unknown_params
from .pagination import PAGE_PARAMS, PageParams, paginate
from .schemas import AuthorReport, AuthorReportPage, ReportIn, ReportPatch, SubmitIn
from .services import api_report_create, api_report_submit, api_report_update, api_token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = "Token personale (creato dall'admin o con `manage.py create_api_token`)"

    def authenticate(self, request, token: str):
        api_token = api_token_authenticate(raw=token)
        if api_token is None:
            return None
        request.user = api_token.user
        return api_token.user


router = Router(auth=TokenAuth(), tags=["autori"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
MAX_ID = 2**63 - 1


def _get_mine(user, report_id: int) -> Report:
    """A report of one of the user's teams; anything else is a 404 (its existence is not told)."""
    report = report_list_for_user(user).select_related("questionnaire").filter(pk=report_id).first()
    if report is None:
        raise Http404("Report inesistente o non di un tuo team")
    return report


def _editable(report: Report, action: str) -> None:
    if report.status not in EDITABLE:
        raise ApiError(
            409,
            f"Il report è «{report.get_status_display()}»: "
            f"si possono {action} solo bozze o report da correggere",
        )


def _out(report: Report) -> dict:
    return {
        "id": report.pk,
        "title": report.title,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "team": report.team.slug if report.team else "",
        "questionnaire": report.questionnaire.code,
        "project_code": report.project_code,
        "lock_version": report.lock_version,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "submitted_at": report.submitted_at,
        "answers": report_raw_answers(report),
    }


@router.get("/author/reports", response={200: AuthorReportPage, **ERRORS}, url_name="author_report_list")
def author_report_list(request, page: Query[PageParams]):
    """The reports of your teams, in every status, most recently changed first."""
    reject_unknown_params(request, PAGE_PARAMS)
    queryset = (
        report_list_for_user(request.auth).select_related("questionnaire").order_by("-updated_at", "-pk")
    )
    meta, items = paginate(request, queryset, page)
    return {**meta.dict(), "results": [_out(r) for r in items]}


@router.post("/author/reports", response={201: AuthorReport, **ERRORS}, url_name="author_report_create")
def author_report_create(request, payload: ReportIn):
    """Create a draft for one of your teams (current questionnaire), optionally already filled in."""
    reject_unknown_params(request, set())
    team = Team.objects.filter(slug=payload.team).first()
    if team is None:
        raise ApiError(
            400, f"Dati non validi: team: team {payload.team!r} inesistente", ["team: inesistente"]
        )
    project, code = project_from_input(payload.project_code) if payload.project_code else (None, "")
    data = payload.dict(exclude={"team", "project_code"})
    report = api_report_create(user=request.auth, team=team, project=project, project_code=code, data=data)
    return Status(201, _out(_get_mine(request.auth, report.pk)))


@router.get(
    "/author/reports/{report_id}", response={200: AuthorReport, **ERRORS}, url_name="author_report_detail"
)
def author_report_detail(request, report_id: int = Path(..., ge=1, le=MAX_ID)):
    reject_unknown_params(request, set())
    return _out(_get_mine(request.auth, report_id))


@router.patch(
    "/author/reports/{report_id}", response={200: AuthorReport, **ERRORS}, url_name="author_report_update"
)
def author_report_update(request, payload: ReportPatch, report_id: int = Path(..., ge=1, le=MAX_ID)):
    """Change a draft. Send the `lock_version` you read; answers merge, `null` clears one."""
    reject_unknown_params(request, set())
    report = _get_mine(request.auth, report_id)
    _editable(report, "modificare")
    api_report_update(user=request.auth, report=report, data=payload.dict(exclude_unset=True))
    return _out(_get_mine(request.auth, report_id))


@router.post(
    "/author/reports/{report_id}/submit",
    response={200: AuthorReport, **ERRORS},
    url_name="author_report_submit",
)
def author_report_submit(request, payload: SubmitIn, report_id: int = Path(..., ge=1, le=MAX_ID)):
    """Send a complete draft to the editors."""
    reject_unknown_params(request, set())
    report = _get_mine(request.auth, report_id)
    _editable(report, "inviare")
    api_report_submit(user=request.auth, report=report, lock_version=payload.lock_version)
    return _out(_get_mine(request.auth, report_id))
