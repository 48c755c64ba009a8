"""Per-field review comments: editors write them, authors (or editors) resolve them."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitora.core.models import log_action
from monitora.core.permissions import require
from monitora.questionnaires.definitions import get_spec

from ..labels import COMMENTABLE_REPORT_FIELDS
from ..models import Report, ReviewComment


def comment_field_keys(report: Report) -> list[str]:
    return [*COMMENTABLE_REPORT_FIELDS, *get_spec(report.questionnaire.code).keys]


@transaction.atomic
def comment_add(*, report: Report, by: Any, field_key: str, text: str) -> ReviewComment:
    require(by, "report.comment", report)
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if field_key not in comment_field_keys(report):
        errors["field_key"] = [_("Campo sconosciuto: %(key)s") % {"key": field_key[:100]}]
    if not text:
        errors["text"] = [_("Il commento è vuoto.")]
    elif len(text) > 5000:
        errors["text"] = [_("Il commento è troppo lungo (massimo 5000 caratteri).")]
    if errors:
        raise ValidationError(errors)
    comment = ReviewComment.objects.create(report=report, field_key=field_key, text=text, author=by)
    log_action(comment, action="comment.added", actor=by, data={"report": report.pk, "field": field_key})
    return comment


@transaction.atomic
def comment_resolve(*, comment: ReviewComment, by: Any) -> ReviewComment:
    require(by, "comment.resolve", comment)
    now = timezone.now()
    # Conditional: two people resolving at once leave one entry.
    if not ReviewComment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=by, updated_at=now
    ):
        raise ValidationError(_("Il commento era già stato risolto."), code="already_resolved")
    comment.resolved_at, comment.resolved_by = now, by
    log_action(comment, action="comment.resolved", actor=by, data={"report": comment.report_id})
    return comment
