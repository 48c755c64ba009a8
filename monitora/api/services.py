"""Writes of the API app: personal tokens, and the author operations the API exposes.

Report writes call the same services as the web form (`reports.services`); this module only
adds what the API needs around them (team membership, optimistic locking, merging partial updates).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from monitora.catalogue.models import Project
from monitora.core.models import log_action
from monitora.questionnaires.models import Questionnaire
from monitora.questionnaires.validation import clean_answers
from monitora.reports.models import Report, ReportSource, ReportStatus
from monitora.reports.services import report_create, report_replace
from monitora.teams.models import Team

from .models import ApiToken

TOKEN_PREFIX = "mnt_"  # noqa: S105 - a public marker of our tokens, not a secret
# Writing last_used_at on every request would turn reads into writes; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, name: str, actor: Any = None) -> tuple[ApiToken, str]:
    """Create a token; return it with the full secret, which is never stored and never shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["il nome del token è obbligatorio"]})
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, name=name[:100], prefix=prefix, token_hash=_hash(raw))
    token.full_clean()
    token.save()
    log_action(token, action="api_token.created", actor=actor or user, data={"prefix": prefix, "name": name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any = None) -> ApiToken:
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    log_action(token, action="api_token.revoked", actor=actor, data={"prefix": token.prefix})
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token matching `raw`, or None. Constant-time comparison of the hash."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    prefix = raw[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = ApiToken.objects.active().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.token_hash, _hash(raw)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def check_team_member(*, user: Any, team: Any) -> None:
    """Fail closed: only members of the owning team write its reports through the API."""
    if team is None or not team.memberships.filter(user=user).exists():
        raise PermissionDenied("non fai parte del team di questo report")


# --- Author writes -------------------------------------------------------------------------------

EDITABLE = (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)


def report_answer_values(report) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for answer in report.answers.select_related("question", "option"):
        raw[answer.question.key] = answer.value
    return raw


def _project_for(code: str):

    return Project.objects.filter(code=code).first() if code else None


@transaction.atomic
def author_report_create(*, user: Any, data: dict[str, Any]) -> Any:
    """Create a draft for one of the user's teams, validated by the questionnaire's own rules."""

    team = Team.objects.filter(slug=data["team"]).first()
    if team is None:
        raise ValidationError({"team": [f"team {data['team']!r} inesistente"]})
    check_team_member(user=user, team=team)
    project = _project_for(data["project_code"])
    answers = clean_answers(
        data["questionnaire"], data["answers"], cup_nature=project.cup_nature if project else ""
    )
    fields = {
        key: data[key]
        for key in (
            "title",
            "project_code",
            "opencoesione_url",
            "author_name",
            "handle",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "language",
        )
    }
    fields.update(
        questionnaire=Questionnaire.objects.get(code=data["questionnaire"]),
        project=project,
        team=team,
        created_by=user,
        status=ReportStatus.DRAFT,
        source=ReportSource.API,
    )
    if project and not fields["opencoesione_url"]:
        fields["opencoesione_url"] = project.opencoesione_url
    return report_create(fields=fields, answers=answers, actor=user, action="report.created")


def _locked_report(*, report_id: int, user: Any, lock_version: int):
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("team", "questionnaire", "project")
        .get(pk=report_id)
    )
    check_team_member(user=user, team=report.team)
    if report.lock_version != lock_version:
        raise ConflictError(
            f"il report è stato modificato nel frattempo (versione {report.lock_version}, "
            f"non {lock_version}): rileggilo e riprova"
        )
    return report


class ConflictError(Exception):
    """The report changed since the client read it, or is in a state that forbids the action."""


@transaction.atomic
def author_report_update(*, user: Any, report_id: int, data: dict[str, Any]) -> Any:
    """Apply a partial update to a draft; answers merge into the existing ones (null clears one)."""
    report = _locked_report(report_id=report_id, user=user, lock_version=data.pop("lock_version"))
    if report.status not in EDITABLE:
        raise ConflictError(f"il report è nello stato {report.status!r}: si modificano solo le bozze")
    raw = report_answer_values(report)
    for key, value in (data.pop("answers", None) or {}).items():
        raw[key] = value
    fields = {key: value for key, value in data.items() if value is not None}
    if "project_code" in fields:
        fields["project"] = _project_for(fields["project_code"])
    project = fields.get("project", report.project)
    answers = clean_answers(report.questionnaire.code, raw, cup_nature=project.cup_nature if project else "")
    return report_replace(report=report, fields=fields, answers=answers, actor=user, action="report.updated")


@transaction.atomic
def author_report_submit(*, user: Any, report_id: int, lock_version: int) -> Any:
    """Send a draft to the editors after checking it is complete."""
    report = _locked_report(report_id=report_id, user=user, lock_version=lock_version)
    return report_submit(report=report, by=user, expected_lock_version=lock_version)


def report_submit(*, report: Any, by: Any, expected_lock_version: int) -> Any:
    """Minimal draft -> submitted transition, used until the moderation workflow lands on main.

    Same signature as `moderation.services.report_submit` (authoring branch), so switching is an
    import. Checks the lock version, the allowed source state and completeness (required questions
    of steps 1-2), saves with update_fields and writes the audit entry.
    """
    if report.lock_version != expected_lock_version:
        raise ConflictError("il report è stato modificato nel frattempo: rileggilo e riprova")
    if report.status not in EDITABLE:
        raise ConflictError(f"il report è nello stato {report.status!r}: si inviano solo le bozze")
    project = report.project
    clean_answers(
        report.questionnaire.code,
        report_answer_values(report),
        require_complete=True,
        steps=(1, 2),
        cup_nature=project.cup_nature if project else "",
    )
    previous = report.status
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.lock_version += 1
    report.save(update_fields=["status", "submitted_at", "lock_version", "updated_at"])
    log_action(report, action="report.submitted", actor=by, data={"from": previous, "to": report.status})
    return report
