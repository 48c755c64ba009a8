"""The one permission layer: `can(user, action, obj)` for views, API, admin actions and services.

Fail-closed: an action missing from RULES is denied, an inactive or anonymous user gets only what
a rule explicitly grants, and any rule that raises is a denial. Workflow states are checked again
by the services (with a clear message); `can` answers "may this person do this to this object".
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

logger = logging.getLogger(__name__)

EDITABLE = ("draft", "changes_requested")
IMPACT_EDITABLE = ("not_started", "draft", "changes_requested")


def is_active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user: Any) -> bool:
    return is_active(user) and bool(user.is_superuser)


def is_editor(user: Any) -> bool:
    """Editors (redazione) are staff accounts; administrators are editors too."""
    return is_active(user) and bool(user.is_staff or user.is_superuser)


def team_role(user: Any, team: Any) -> str | None:
    """'owner', 'member' or None. Cached on the user object for the request."""
    if not is_active(user) or team is None:
        return None
    cache = user.__dict__.setdefault("_monitora_team_roles", {})
    if team.pk not in cache:
        from monitora.teams.models import Membership

        cache[team.pk] = (
            Membership.objects.filter(team_id=team.pk, user_id=user.pk).values_list("role", flat=True).first()
        )
    return cache[team.pk]


def is_member(user: Any, report: Any) -> bool:
    return team_role(user, report.team) is not None


def _reviewer(user: Any, report: Any) -> bool:
    """An editor who is not in the report's team: nobody reviews their own team's work."""
    return is_editor(user) and not is_member(user, report)


def _view_report(user: Any, report: Any) -> bool:
    return report.status == "published" or is_member(user, report) or is_editor(user)


def _delete_report(user: Any, report: Any) -> bool:
    return is_admin(user) or (report.status == "draft" and is_member(user, report))


def _export_private(user: Any, obj: Any) -> bool:
    if obj is None:
        return is_admin(user)
    return is_active(user) and (obj.pk == user.pk or is_admin(user))


def _respond(user: Any, report: Any) -> bool:
    profile = getattr(user, "profile", None) if is_active(user) else None
    return bool(profile and profile.is_verified_representative and report.status == "published")


Rule = Callable[[Any, Any], bool]

RULES: dict[str, Rule] = {
    # Reports (obj: Report)
    "report.view": _view_report,
    "report.view_draft": lambda u, r: is_member(u, r) or is_editor(u),
    "report.edit": lambda u, r: is_member(u, r) and r.status in EDITABLE,
    "report.submit": lambda u, r: is_member(u, r) and r.status in EDITABLE,
    "report.propose_revision": lambda u, r: is_member(u, r) and r.status == "published",
    "report.delete": _delete_report,
    "report.comment": lambda u, r: _reviewer(u, r) and r.status != "draft",
    "report.start_review": _reviewer,
    "report.request_changes": _reviewer,
    "report.publish": _reviewer,
    "report.reject": _reviewer,
    "report.view_audit_log": lambda u, r: is_editor(u),
    "report.respond": _respond,
    # Step 3 (obj: Report)
    "impact.edit": lambda u, r: (
        is_member(u, r) and r.status == "published" and r.impact_status in IMPACT_EDITABLE
    ),
    "impact.submit": lambda u, r: (
        is_member(u, r) and r.status == "published" and r.impact_status in IMPACT_EDITABLE
    ),
    "impact.request_changes": _reviewer,
    "impact.publish": _reviewer,
    # Revisions (obj: Report the revision belongs to)
    "revision.approve": _reviewer,
    "revision.reject": _reviewer,
    # Comments (obj: ReviewComment)
    "comment.resolve": lambda u, c: is_member(u, c.report) or is_editor(u),
    # Official responses (obj: AdministrationResponse)
    "response.hide": lambda u, r: is_editor(u),
    # Teams (obj: Team)
    "team.view": lambda u, t: team_role(u, t) is not None or is_editor(u),
    "team.create_report": lambda u, t: team_role(u, t) is not None,
    "team.manage": lambda u, t: team_role(u, t) == "owner" or is_admin(u),
    # People (obj: User or None)
    "user.verify_representative": lambda u, o: is_editor(u),
    "data.export_private": _export_private,
    "account.delete": lambda u, o: is_active(u) and o is not None and o.pk == u.pk,
    # Review queue and site-wide audit log (obj: None)
    "moderation.queue": lambda u, o: is_editor(u),
    "auditlog.view": lambda u, o: is_editor(u),
    # Data-quality notes of imports: queue, accept, correct (obj: None or QualityNote)
    "imports.review": lambda u, o: is_editor(u),
}


def can(user: Any, action: str, obj: Any = None) -> bool:
    rule = RULES.get(action)
    if rule is None:
        logger.warning("permission check for unknown action %r denied", action)
        return False
    try:
        return bool(rule(user, obj))
    except Exception:  # a broken rule must deny, never allow
        logger.exception("permission rule %r failed; denied", action)
        return False


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `can`: services call it so every entry point is covered."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


def permission_required(action: str, get_obj: Callable[..., Any] | None = None) -> Callable:
    """View decorator: anonymous users go to login, others get 403 when `can` says no.

    `get_obj(request, **kwargs)` loads the object (raising Http404 when it does not exist); it is
    stored on `request.perm_obj` so the view does not load it twice.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            obj = get_obj(request, **kwargs) if get_obj else None
            if not can(request.user, action, obj):
                if not request.user.is_authenticated:
                    from django.contrib.auth.views import redirect_to_login

                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied(action)
            request.perm_obj = obj
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
