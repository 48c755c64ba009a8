"""Authenticated operations for authors: personal token in `Authorization: Bearer <token>`.

Only reports of the caller's teams are visible here (drafts included); writes go through the
same services as the web form.
"""

from django.http import Http404
from ninja import Path, Query, Router, Status
from ninja.security import HttpBearer

from monitora.reports.models import Report

from .errors import ApiError, ErrorOut, reject_unknown_params
from .pagination import PAGE_PARAMS, PageParams, paginate
from .schemas import AuthorReport, AuthorReportPage, ReportIn, ReportPatch, SubmitIn
from .services import (
    ConflictError,
    api_token_authenticate,
    author_report_create,
    author_report_submit,
    author_report_update,
    report_answer_values,
)


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


def _mine(user):
    return Report.objects.filter(team__memberships__user=user).select_related("team", "questionnaire")


def _get_mine(user, report_id: int) -> Report:
    report = _mine(user).filter(pk=report_id).first()
    if report is None:
        raise Http404("Report inesistente o non di un tuo team")
    return report


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
        "answers": report_answer_values(report),
    }


def _conflict(exc: ConflictError) -> ApiError:
    return ApiError(409, str(exc))


@router.get("/author/reports", response={200: AuthorReportPage, **ERRORS}, url_name="author_report_list")
def author_report_list(request, page: Query[PageParams]):
    """The reports of your teams, in every status, most recently changed first."""
    reject_unknown_params(request, PAGE_PARAMS)
    meta, items = paginate(request, _mine(request.auth).order_by("-updated_at", "-pk"), page)
    return {**meta.dict(), "results": [_out(r) for r in items]}


@router.post("/author/reports", response={201: AuthorReport, **ERRORS}, url_name="author_report_create")
def author_report_create_api(request, payload: ReportIn):
    """Create a draft for one of your teams."""
    reject_unknown_params(request, set())
    report = author_report_create(user=request.auth, data=payload.dict())
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
def author_report_update_api(request, payload: ReportPatch, report_id: int = Path(..., ge=1, le=MAX_ID)):
    """Change a draft. Send the `lock_version` you read; answers merge, `null` clears one."""
    reject_unknown_params(request, set())
    _get_mine(request.auth, report_id)
    try:
        author_report_update(user=request.auth, report_id=report_id, data=payload.dict(exclude_unset=True))
    except ConflictError as exc:
        raise _conflict(exc) from exc
    return _out(_get_mine(request.auth, report_id))


@router.post(
    "/author/reports/{report_id}/submit",
    response={200: AuthorReport, **ERRORS},
    url_name="author_report_submit",
)
def author_report_submit_api(request, payload: SubmitIn, report_id: int = Path(..., ge=1, le=MAX_ID)):
    """Send a complete draft to the editors."""
    reject_unknown_params(request, set())
    _get_mine(request.auth, report_id)
    try:
        author_report_submit(user=request.auth, report_id=report_id, lock_version=payload.lock_version)
    except ConflictError as exc:
        raise _conflict(exc) from exc
    return _out(_get_mine(request.auth, report_id))
