"""The report lifecycle, in one place: every write to a report goes through these functions.

Web forms (authoring, moderation), the API, the admin and the importers call them; each checks
the permission, writes in one transaction, audits (`log_action`) and announces the change with
`reports.changes.reports_changed`, so the search index and e-mails follow on commit.
docs/workflow-and-permissions.md describes the states.
"""

from .comments import comment_add, comment_field_keys, comment_resolve
from .drafts import impact_save, report_delete, report_draft_create, report_draft_save
from .fields import clean_author_fields, clean_links, merged_answers
from .locking import ConcurrentEditError
from .responses import response_add, response_hide
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
    report_unpublish,
)
from .writing import report_create, report_replace, report_save_answers

__all__ = [
    "ConcurrentEditError",
    "clean_author_fields",
    "clean_links",
    "comment_add",
    "comment_field_keys",
    "comment_resolve",
    "impact_publish",
    "impact_request_changes",
    "impact_save",
    "impact_submit",
    "merged_answers",
    "report_create",
    "report_delete",
    "report_draft_create",
    "report_draft_save",
    "report_publish",
    "report_reject",
    "report_replace",
    "report_request_changes",
    "report_save_answers",
    "report_start_review",
    "report_submit",
    "report_unpublish",
    "response_add",
    "response_hide",
    "revision_approve",
    "revision_propose",
    "revision_reject",
]
