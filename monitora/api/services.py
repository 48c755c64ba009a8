"""Writes of the API app: personal tokens, and the author operations the API exposes.

Report writes call the same services as the web form (`reports.services`);
this module only adds what the API needs around them (one transaction for create-and-fill, PATCH
merging of answers).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from monitora.catalogue.models import Project
from monitora.core.models import log_action
from monitora.core.permissions import require
from monitora.reports.models import Report
from monitora.reports.selectors import report_raw_answers
from monitora.reports.services import report_draft_create, report_draft_save, report_submit
from monitora.reports.services.fields import AUTHOR_FIELDS, keys_of_steps
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


def api_tokens_revoke_all(*, user: Any, reason: str, actor: Any = None) -> int:
    """Revoke every active token of `user` (a password change: whoever knew the old password
    may have made a token with it). Returns how many were revoked."""
    revoked = 0
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        api_token_revoke(token=token, actor=actor or user)
        revoked += 1
    if revoked:
        log_action(
            user,
            action="api_token.all_revoked",
            actor=actor or user,
            data={"reason": reason, "count": revoked},
        )
    return revoked


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


# --- Author writes -------------------------------------------------------------------------------
# The API composes the web form's own services (reports.services): same
# whitelist of author fields, same validator, same optimistic locking, same permission layer.


def _links(data: dict) -> dict | None:
    links = data.get("links") or {}
    return {kind: urls for kind, urls in links.items() if urls is not None} or None


def _steps_1_2(report: Report) -> set[str]:
    return keys_of_steps(report, (1, 2))


@transaction.atomic
def api_report_create(
    *, user: Any, team: Team, project: Project | None, project_code: str, data: dict
) -> Report:
    """Start a draft as the web form does, then save the fields, answers and links sent with it.

    One transaction: if the answers are refused, the draft is not created either.
    """
    report = report_draft_create(by=user, team=team, project=project, project_code=project_code)
    fields = {k: data[k] for k in AUTHOR_FIELDS if data.get(k) is not None}
    raw = {k: v for k, v in (data.get("answers") or {}).items() if v is not None}
    if fields or raw or data.get("links"):
        keep = {k: v for k, v in report_raw_answers(report).items() if k in _steps_1_2(report)}
        report_draft_save(
            report=report,
            by=user,
            fields=fields,
            raw_answers={**keep, **raw},
            expected_lock_version=report.lock_version,
            links=_links(data),
        )
    return report


def api_report_update(*, user: Any, report: Report, data: dict) -> Report:
    """PATCH semantics over the form's save: sent answers merge into the stored ones, null clears one."""
    require(user, "report.edit", report)
    own = _steps_1_2(report)
    raw = {k: v for k, v in report_raw_answers(report).items() if k in own}
    for key, value in (data.get("answers") or {}).items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    fields = {k: data[k] for k in AUTHOR_FIELDS if data.get(k) is not None}
    return report_draft_save(
        report=report,
        by=user,
        fields=fields,
        raw_answers=raw,
        expected_lock_version=data["lock_version"],
        links=_links(data),
    )


def api_report_submit(*, user: Any, report: Report, lock_version: int) -> Report:
    return report_submit(report=report, by=user, expected_lock_version=lock_version)
