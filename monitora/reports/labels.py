"""Labels of everything an editor can name in a report: its own columns and its questions.

Editors' screens, the comment field picker, validation messages and e-mails to authors all read
these, never the internal keys.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from monitora.questionnaires.definitions import get_spec
from monitora.questionnaires.labels import key_label, section_title

# Report columns and pseudo-fields that are not questions.
REPORT_FIELD_LABELS = {
    "general": _("Osservazioni generali"),
    "title": _("Titolo del report"),
    "location": _("Posizione"),
    "address": _("Indirizzo"),
    "postcode": _("CAP"),
    "latitude": _("Latitudine"),
    "longitude": _("Longitudine"),
    "links_source": _("Link alle fonti"),
    "links_video": _("Link a video"),
    "reason": _("Motivo"),
}
# Keys an editor can comment on besides the questions (in this order, first in the picker).
COMMENTABLE_REPORT_FIELDS = ("general", "title", "location")


def field_label(questionnaire_code: str, key: str) -> str:
    if key in REPORT_FIELD_LABELS:
        return str(REPORT_FIELD_LABELS[key])
    return key_label(questionnaire_code, key)


def comment_field_choices(questionnaire_code: str) -> list[tuple[str, Any]]:
    """Choices for the comment picker: the report's own fields, then the questions by section."""
    choices: list[tuple[str, Any]] = [(k, str(REPORT_FIELD_LABELS[k])) for k in COMMENTABLE_REPORT_FIELDS]
    groups: dict[str, list[tuple[str, str]]] = {}
    for question in get_spec(questionnaire_code).questions:
        title = section_title(question.section) if question.section else str(_("Altre domande"))
        groups.setdefault(title, []).append((question.key, key_label(questionnaire_code, question.key)))
    return [*choices, *groups.items()]


def error_lines(exc: ValidationError, questionnaire_code: str = "") -> list[str]:
    """A validation error as lines a person reads: "Label: message" instead of "key: message"."""
    if not hasattr(exc, "error_dict"):
        return ["; ".join(exc.messages)]
    lines = []
    for key, messages in exc.message_dict.items():
        text = "; ".join(messages)
        if key in ("", "__all__"):
            lines.append(text)
        else:
            label = field_label(questionnaire_code, key) if questionnaire_code else key
            lines.append(f"{label}: {text}")
    return lines
