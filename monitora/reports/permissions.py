"""Who may do what to a report, its Step 3, revisions, comments and official responses.

Registered into `core.permissions` by ReportsConfig.ready(). Workflow states are checked again by
the services (with a clear message); a rule answers "may this person do this to this object".
"""

from typing import Any

from monitora.core.permissions import Rule, is_active, is_admin, is_editor
from monitora.teams.permissions import team_role

EDITABLE = ("draft", "changes_requested")
IMPACT_EDITABLE = ("not_started", "draft", "changes_requested")


def is_member(user: Any, report: Any) -> bool:
    return team_role(user, report.team) is not None


def _reviewer(user: Any, report: Any) -> bool:
    """An editor who is not in the report's team: nobody reviews their own team's work."""
    return is_editor(user) and not is_member(user, report)


def _view_report(user: Any, report: Any) -> bool:
    return report.status == "published" or is_member(user, report) or is_editor(user)


def _delete_report(user: Any, report: Any) -> bool:
    return is_admin(user) or (report.status == "draft" and is_member(user, report))


def _respond(user: Any, report: Any) -> bool:
    profile = getattr(user, "profile", None) if is_active(user) else None
    return bool(profile and profile.is_verified_representative and report.status == "published")


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
    "report.unpublish": lambda u, r: _reviewer(u, r) and r.status == "published",
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
    # Review queue (obj: None)
    "moderation.queue": lambda u, o: is_editor(u),
}
