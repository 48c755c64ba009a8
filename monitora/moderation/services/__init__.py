"""Workflow services: one function per transition (see docs/workflow-and-permissions.md)."""

from .comments import comment_add, comment_resolve
from .locking import ConcurrentEditError
from .responses import representative_verify, response_add, response_hide
from .revisions import revision_approve, revision_propose, revision_reject
from .transitions import (
    impact_publish,
    impact_request_changes,
    impact_submit,
    report_publish,
    report_reject,
    report_request_changes,
    report_start_review,
    report_submit,
)

__all__ = [
    "ConcurrentEditError",
    "comment_add",
    "comment_resolve",
    "impact_publish",
    "impact_request_changes",
    "impact_submit",
    "report_publish",
    "report_reject",
    "report_request_changes",
    "report_start_review",
    "report_submit",
    "representative_verify",
    "response_add",
    "response_hide",
    "revision_approve",
    "revision_propose",
    "revision_reject",
]
