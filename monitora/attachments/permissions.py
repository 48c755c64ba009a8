"""Who may see and change attachments, on top of the one permission layer (`core.permissions.can`).

Fail-closed like `can`: anything not explicitly allowed is refused.
"""

from typing import Any

from monitora.core.permissions import can, is_editor
from monitora.reports.models import Report

from .models import Attachment


def can_view_attachment(user: Any, attachment: Attachment) -> bool:
    """Anyone for a published report (through the one public gate); else team and editors only."""
    if Report.objects.published().filter(pk=attachment.report_id).exists():
        return True
    return can(user, "report.view_draft", attachment.report)


def can_manage_attachments(user: Any, report: Report) -> bool:
    """Upload, delete, choose the cover, add links.

    The team while it may edit the report (`report.edit`: draft or changes requested); editors
    always, so that the redazione can remove a file (a face, a plate, personal data) during review
    or after publication. The lead may move this into RULES as `attachment.manage`.
    """
    return can(user, "report.edit", report) or is_editor(user)
