"""The timeline of a project: reports, administrations' replies, impact updates, official changes.

Each event says what happened in plain words, e.g. "Pagamenti: da 120.000 € al momento del
report a 480.000 €" or "Stato: In corso → Concluso".
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import reduce

from django.db import models
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitora.catalogue.models import Project
from monitora.core.compiled import Bind, CompiledQuery, numbered
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
    if project is not None:
        return _PROJECT_REPORTS(project=project.pk, code=project.code)
    if report is not None:
        return _ONE_REPORT(report=report.pk)
    return []


# The timeline's reads, compiled once (`core.compiled`): every uncached report page runs them.
_ID = models.BigIntegerField()
_PROJECT_REPORTS = CompiledQuery(  # `project_reports_q` on indexed columns (no join on the project)
    lambda: (
        Report.objects.published()
        .filter(
            Q(project_id=Bind("project", _ID))
            | Q(project__isnull=True, project_code=Bind("code", models.CharField()))
        )
        .values("id", "title", "published_at")
    )
)
_ONE_REPORT = CompiledQuery(
    lambda: Report.objects.published().filter(pk=Bind("report", _ID)).values("id", "title", "published_at")
)
_RESPONSES = CompiledQuery(  # `report_id IN` would prepare each value as an id: OR'ed equalities
    lambda count: AdministrationResponse.objects.visible().filter(
        reduce(operator.or_, (Q(report_id=bind) for bind in Bind.many("report", _ID, count)))
    )
)


def timeline_responses(rows: list[dict]) -> list[AdministrationResponse]:
    """The visible replies to those reports, oldest first (the report page shows its own ones too)."""
    if not rows:
        return []
    return _RESPONSES(shape=(len(rows),), **numbered("report", [r["id"] for r in rows]))


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
    shape = (len(report_ids), project is not None)
    values = numbered("report", [str(i) for i in report_ids]) | ({"project": project.pk} if project else {})
    rows = _DATED(shape=shape, **values)
    impacts = sorted(((r["at"], r["row"], int(r["a"])) for r in rows if r["kind"] == "impact"), reverse=True)
    official = sorted((r["at"], r["row"], r["a"], r["b"], r["c"]) for r in rows if r["kind"] == "official")
    return (
        [(at, report_id) for at, _row, report_id in impacts],
        [OfficialChange(field=f, old=o, new=n, recorded_at=at) for at, _row, f, o, n in official],
    )


def _dated(count: int, with_changes: bool):
    """Step 3 approvals of `count` reports and, `with_changes`, the project's official changes."""
    dated = (
        AuditLog.objects.filter(
            action="impact.publish",
            object_type="reports.report",
            object_id__in=Bind.many("report", models.CharField(), count),
        )
        .order_by()
        .values(
            kind=Value("impact"), at=F("created_at"), row=F("id"), a=F("object_id"), b=Value(""), c=Value("")
        )
    )
    if not with_changes:
        return dated
    changes = (
        OfficialChange.objects.filter(project_id=Bind("project", _ID))
        .order_by()
        .values(
            kind=Value("official"), at=F("recorded_at"), row=F("id"), a=F("field"), b=F("old"), c=F("new")
        )
    )
    return dated.union(changes, all=True).order_by()  # sorted by the caller, each as before


_DATED = CompiledQuery(_dated)


def _report_urls() -> Callable[[int], str]:
    """The report page's URL for any id, reversed once per timeline (`report_cards` does the same)."""
    pattern = reverse("public:report_detail", args=[0])
    return lambda report_id: pattern.replace("/0/", f"/{report_id}/")
