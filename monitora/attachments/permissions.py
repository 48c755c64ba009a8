"""Who may see and change attachments. Fail-closed: anything not explicitly allowed is refused.

Local until the general permission layer (`monitora.core.permissions.can`) lands on main; the
rules are the same: the owning team and the editors (staff) see unpublished material, everyone
sees what belongs to a published report.
"""

from typing import Any

from monitora.reports.models import Report, ReportStatus

from .models import Attachment

# A team may change attachments only while the report is in its hands; once submitted, the
# editors review a fixed set of files (a published report changes through a new revision).
TEAM_EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED})


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_editor(user: Any) -> bool:
    return _active(user) and bool(user.is_staff)


def is_team_member(user: Any, report: Report) -> bool:
    if not _active(user) or report.team_id is None:
        return False
    return report.team.memberships.filter(user=user).exists()


def can_view_unpublished(user: Any, report: Report) -> bool:
    return is_editor(user) or is_team_member(user, report)


def can_view_attachment(user: Any, attachment: Attachment) -> bool:
    """Anyone for a published report (through the one public gate); else team and editors only."""
    if Report.objects.published().filter(pk=attachment.report_id).exists():
        return True
    return can_view_unpublished(user, attachment.report)


def can_manage_attachments(user: Any, report: Report) -> bool:
    """Upload, delete, reorder, caption: editors always; team members while the report is theirs."""
    if is_editor(user):
        return True
    return report.status in TEAM_EDITABLE_STATUSES and is_team_member(user, report)
