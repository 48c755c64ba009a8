"""The timeline of a project: reports, administrations' replies, impact updates, official changes.

Each event says what happened in plain words, e.g. "Pagamenti: da 120.000 € al momento del
report a 480.000 €" or "Stato: In corso → Concluso".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitora.catalogue.models import Project
from monitora.core.models import AuditLog
from monitora.reports.models import AdministrationResponse, Report

from .models import OfficialChange

MAX_EVENTS = 100
FIELD_LABELS = {
    "state": gettext_lazy("Stato"),
    "payments": gettext_lazy("Pagamenti"),
    "public_funding": gettext_lazy("Finanziamento pubblico"),
    "planned_end_date": gettext_lazy("Data di fine prevista"),
    "actual_end_date": gettext_lazy("Data di fine effettiva"),
}


@dataclass
class Event:
    at: datetime
    kind: str  # report, response, impact, official
    text: str
    url: str = ""


def euro(value: str) -> str:
    """Italian money: "120.000 €", "1.234,50 €"."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value or "—"
    whole, cents = divmod(abs(amount), 1)
    text = f"{int(whole):,}".replace(",", ".")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return ("-" if amount < 0 else "") + text + " €"


def official_value(field: str, value: str) -> str:
    if not value:
        return _("non indicato")
    if field in ("payments", "public_funding"):
        return euro(value)
    if field.endswith("_date"):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def change_text(change: OfficialChange, *, since_report: bool) -> str:
    label = str(FIELD_LABELS.get(change.field, change.field))
    old, new = official_value(change.field, change.old), official_value(change.field, change.new)
    if change.field in ("payments", "public_funding"):
        if since_report:
            return _("%(label)s: da %(old)s al momento del report a %(new)s") % {
                "label": label,
                "old": old,
                "new": new,
            }
        return _("%(label)s: da %(old)s a %(new)s") % {"label": label, "old": old, "new": new}
    return f"{label}: {old} → {new}"


def project_timeline(project: Project | None, *, report: Report | None = None) -> list[Event]:
    """Newest first. Without a project (a report on an unknown code) only the report's own events."""
    rows = timeline_reports(project, report=report)
    return timeline_events(project, rows, timeline_responses(rows))


def timeline_reports(project: Project | None, *, report: Report | None = None) -> list[dict]:
    """The published reports the timeline tells of (id, title, published_at), newest first."""
    reports = Report.objects.published()
    if project is not None:  # `project_reports_q` on indexed columns (no join on the project)
        on_project = Q(project_id=project.pk) | Q(project__isnull=True, project_code=project.code)
        reports = reports.filter(on_project)
    elif report is not None:
        reports = reports.filter(pk=report.pk)
    else:
        return []
    return list(reports.values("id", "title", "published_at"))


def timeline_responses(rows: list[dict]) -> list[AdministrationResponse]:
    """The visible replies to those reports, oldest first (the report page shows its own ones too)."""
    if not rows:
        return []
    return list(AdministrationResponse.objects.visible().filter(report_id__in=[r["id"] for r in rows]))


def timeline_events(
    project: Project | None, rows: list[dict], responses: list[AdministrationResponse]
) -> list[Event]:
    """The events of `timeline_reports` rows and their `timeline_responses`, newest first."""
    ids = [r["id"] for r in rows]
    url = _report_urls()
    events = [
        Event(
            r["published_at"],
            "report",
            _("Report pubblicato: «%(title)s»") % {"title": r["title"]},
            url(r["id"]),
        )
        for r in rows
        if r["published_at"]
    ]
    titles = {r["id"]: r["title"] for r in rows}
    for response in responses:
        text = _("Risposta di %(administration)s al report «%(title)s»") % {
            "administration": response.administration_name,
            "title": titles[response.report_id],
        }
        events.append(Event(response.created_at, "response", text, url(response.report_id)))
    impacts, changes = _impacts_and_changes(project, ids)
    for at, rid in impacts:
        text = _("Aggiornamento sull'impatto del report «%(title)s»") % {"title": titles[rid]}
        events.append(Event(at, "impact", text, url(rid)))
    if project is not None:
        published = sorted(r["published_at"] for r in rows if r["published_at"])
        last_seen: dict[str, datetime] = {}
        for change in changes:
            before = [p for p in published if p <= change.recorded_at]
            since_report = bool(before) and last_seen.get(change.field, before[-1]) <= before[-1]
            last_seen[change.field] = change.recorded_at
            events.append(
                Event(change.recorded_at, "official", change_text(change, since_report=since_report))
            )
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:MAX_EVENTS]


def _impacts_and_changes(
    project: Project | None, report_ids: list[int]
) -> tuple[list[tuple[datetime, int]], list[OfficialChange]]:
    """Step 3 approvals of these reports (audit log: when, which report; newest first, as the log
    is ordered) and the project's official changes (oldest first), in one read: on a report page
    that is not cached every query costs a round trip and an ORM compilation."""
    dated = (
        AuditLog.objects.filter(
            action="impact.publish", object_type="reports.report", object_id__in=[str(i) for i in report_ids]
        )
        .order_by()
        .values(
            kind=Value("impact"), at=F("created_at"), row=F("id"), a=F("object_id"), b=Value(""), c=Value("")
        )
    )
    if project is not None:
        changes = (
            OfficialChange.objects.filter(project=project)
            .order_by()
            .values(
                kind=Value("official"), at=F("recorded_at"), row=F("id"), a=F("field"), b=F("old"), c=F("new")
            )
        )
        dated = dated.union(changes, all=True).order_by()  # sorted below, each as before
    rows = list(dated)
    impacts = sorted(((r["at"], r["row"], int(r["a"])) for r in rows if r["kind"] == "impact"), reverse=True)
    official = sorted((r["at"], r["row"], r["a"], r["b"], r["c"]) for r in rows if r["kind"] == "official")
    return (
        [(at, report_id) for at, _row, report_id in impacts],
        [OfficialChange(field=f, old=o, new=n, recorded_at=at) for at, _row, f, o, n in official],
    )


def _report_urls() -> Callable[[int], str]:
    """The report page's URL for any id, reversed once per timeline (`report_cards` does the same)."""
    pattern = reverse("public:report_detail", args=[0])
    return lambda report_id: pattern.replace("/0/", f"/{report_id}/")
