"""Who hears about a report's workflow and what they read (mail is queued on commit).

Authors get a link to their report's status page, editors to the review page; an editor's note
and the open per-field comments travel in the body, with the questionnaire's labels.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from monitora.core.siteurl import site_url

from ..labels import field_label
from ..models import Report, ReviewComment


def team_emails(report: Report) -> list[str]:
    if report.team_id is None:
        return []
    return sorted(
        {e for e in report.team.members.filter(is_active=True).values_list("email", flat=True) if e}
    )


def editor_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def report_url(report: Report) -> str:
    """The authors' page of the report (status, comments, next steps)."""
    return site_url() + reverse("authoring:report_status", args=[report.pk])


def public_url(report: Report) -> str:
    return site_url() + reverse("public:report_detail", args=[report.pk])


def review_url(report: Report) -> str:
    """The editors' page of the report (content, attachments, actions)."""
    return site_url() + reverse("moderation:review", args=[report.pk])


def open_comments(report: Report) -> list[str]:
    """The unresolved per-field comments as "Label: text" lines."""
    code = report.questionnaire.code
    return [
        f"- {field_label(code, c.field_key)}: {c.text}"
        for c in ReviewComment.objects.filter(report=report, resolved_at__isnull=True).order_by("created_at")
    ]


def mail_body(
    report: Report, *, headline: str, note: str = "", for_editors: bool = False, comments: bool = False
) -> str:
    """Plain text: the title, what happened, the editor's note, open comments, the link."""
    parts = [report.title, headline]
    if note.strip():
        parts.append(f"{_('Nota della redazione')}:\n{note.strip()}")
    if comments:
        lines = open_comments(report)
        if lines:
            parts.append(f"{_('Commenti della redazione sui campi')}:\n" + "\n".join(lines))
    if for_editors:
        parts.append(f"{_('Apri la revisione')}: {review_url(report)}")
    else:
        parts.append(f"{_('Apri il report')}: {report_url(report)}")
    return "\n\n".join(p for p in parts if p) + "\n"
