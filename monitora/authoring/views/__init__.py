from .drafts import my_area, report_delete, report_edit, report_new, report_status, report_submit
from .published import comment_resolve, impact_edit, response_add, revision_propose

__all__ = [
    "comment_resolve",
    "impact_edit",
    "my_area",
    "report_delete",
    "report_edit",
    "report_new",
    "report_status",
    "report_submit",
    "response_add",
    "revision_propose",
]
