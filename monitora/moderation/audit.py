"""The audit log of a report as sentences: who did what, when, and the note they wrote.

The entries are the report's own and those of the objects hanging from it (comments, revisions,
attachments, links, official replies), which record the report's id in their data.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitora.core.models import AuditLog
from monitora.reports.labels import field_label
from monitora.reports.models import Report
from monitora.reports.services.locking import state_label

# What each action did, as the end of a sentence whose subject is the person.
SENTENCES = {
    "report.created": gettext_lazy("ha creato il report"),
    "report.imported": gettext_lazy("ha importato il report da un archivio"),
    "report.reimported": gettext_lazy("ha reimportato il report da un archivio"),
    "report.replaced": gettext_lazy("ha sostituito il contenuto del report"),
    "report.corrected": gettext_lazy("ha corretto i dati importati"),
    "report.draft_saved": gettext_lazy("ha salvato la bozza"),
    "impact.draft_saved": gettext_lazy("ha salvato la bozza dello Step 3"),
    "report.deleted": gettext_lazy("ha eliminato il report"),
    "report.submit": gettext_lazy("ha inviato il report alla redazione"),
    "report.start_review": gettext_lazy("ha preso in revisione il report"),
    "report.request_changes": gettext_lazy("ha chiesto modifiche agli autori"),
    "report.publish": gettext_lazy("ha pubblicato il report"),
    "report.reject": gettext_lazy("ha respinto il report"),
    "report.unpublish": gettext_lazy("ha ritirato il report dalla pubblicazione"),
    "impact.submit": gettext_lazy("ha inviato lo Step 3 alla redazione"),
    "impact.request_changes": gettext_lazy("ha chiesto modifiche allo Step 3"),
    "impact.publish": gettext_lazy("ha approvato lo Step 3"),
    "comment.added": gettext_lazy("ha commentato il campo «%(field)s»"),
    "comment.resolved": gettext_lazy("ha segnato come risolto un commento"),
    "revision.proposed": gettext_lazy("ha proposto una revisione del report pubblicato"),
    "revision.approved": gettext_lazy("ha approvato e applicato una revisione"),
    "revision.rejected": gettext_lazy("ha respinto una revisione"),
    "response.added": gettext_lazy("ha pubblicato una risposta ufficiale"),
    "response.hidden": gettext_lazy("ha nascosto una risposta ufficiale"),
    "attachment.created": gettext_lazy("ha caricato il file «%(name)s»"),
    "attachment.deleted": gettext_lazy("ha eliminato il file «%(name)s»"),
    "attachment.cover_set": gettext_lazy("ha scelto l'immagine di copertina"),
    "attachment.caption_changed": gettext_lazy("ha cambiato la didascalia di un file"),
    "report_link.created": gettext_lazy("ha aggiunto il link %(url)s"),
    "report_link.deleted": gettext_lazy("ha tolto il link %(url)s"),
    "quality_note.accepted": gettext_lazy("ha accettato una nota sulla qualità dei dati"),
    "quality_note.corrected": gettext_lazy("ha corretto un dato segnalato dalla qualità dei dati"),
}


@dataclass(frozen=True)
class AuditLine:
    when: datetime
    who: str
    sentence: str
    note: str


def report_audit_entries(report: Report) -> list[AuditLog]:
    own = Q(object_type="reports.report", object_id=str(report.pk))
    related = Q(data__report=report.pk) & ~Q(object_type="reports.report")
    return list(AuditLog.objects.filter(own | related).select_related("actor")[:500])


def _who(entry: AuditLog) -> str:
    if entry.actor is None:
        return _("Il sistema")
    return entry.actor.get_full_name() or entry.actor.email or entry.actor.get_username()


def describe(entry: AuditLog, *, questionnaire_code: str) -> str:
    """One entry as a sentence, e.g. "ha pubblicato il report (da «In revisione» a «Pubblicato»)"."""
    data = entry.data or {}
    template = SENTENCES.get(entry.action)
    if template is None:
        return _("ha registrato «%(action)s»") % {"action": entry.action}
    values = {
        "field": field_label(questionnaire_code, str(data.get("field", ""))),
        "name": data.get("name", ""),
        "url": data.get("url", ""),
    }
    sentence = str(template) % values if "%(" in str(template) else str(template)
    if data.get("from") and data.get("to") and data.get("field") in ("status", "impact_status"):
        sentence += " " + _("(da «%(old)s» a «%(new)s»)") % {
            "old": state_label(data["field"], data["from"]),
            "new": state_label(data["field"], data["to"]),
        }
    return sentence


def report_audit_lines(report: Report) -> list[AuditLine]:
    code = report.questionnaire.code
    return [
        AuditLine(
            when=e.created_at,
            who=_who(e),
            sentence=describe(e, questionnaire_code=code),
            note=str((e.data or {}).get("note") or (e.data or {}).get("reason") or ""),
        )
        for e in report_audit_entries(report)
    ]
