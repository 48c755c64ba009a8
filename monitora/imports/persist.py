"""The one write path of importers: reports already published elsewhere, upserted in bulk.

Same source record → same report; unchanged → untouched (no write, no audit entry, no version
bump). Importers never set status fields themselves: `reports_import_published` does, audits
`report.imported` / `report.reimported`, keeps what the import could not type (raw record and
data-quality notes) and announces the changed reports through `reports_changed`.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models, transaction

from monitora.imports.models import ImportRun
from monitora.imports.recording import CellNote, notes_sync, raw_record_sync
from monitora.questionnaires.validation import CleanAnswer
from monitora.reports.changes import reports_changed
from monitora.reports.models import ImpactStatus, Report, ReportLink, ReportStatus
from monitora.reports.services import report_create, report_replace

Outcome = Literal["created", "updated", "unchanged"]


@dataclass
class ReportRecord:
    """A report as an importer read it, keyed by (source, legacy_id)."""

    source: str
    legacy_id: str
    fields: dict[str, Any]
    answers: dict[str, CleanAnswer]
    # (kind, url) in order; None leaves the links of an existing report alone.
    links: list[tuple[str, str]] | None = field(default=None)
    # When it was published at the source, and whether its results step (Step 3) was published.
    published_at: dt.datetime | None = None
    impact_published: bool = False
    # Lenient importers: the source record verbatim (None: not kept) and the cells kept aside.
    line: int | None = None
    cells: dict[str, str] | None = None
    notes: list[CellNote] = field(default_factory=list)

    def report_fields(self) -> dict[str, Any]:
        """The record's fields plus the status of a report published elsewhere."""
        return {
            **self.fields,
            "status": ReportStatus.PUBLISHED,
            "published_at": self.published_at,
            "impact_status": ImpactStatus.PUBLISHED if self.impact_published else ImpactStatus.NOT_STARTED,
        }


def _field_value(report: Report, name: str) -> Any:
    value = getattr(report, name)
    return value.pk if isinstance(value, models.Model) else value


def _answers_of(report: Report) -> dict[str, tuple[str, str, bool | None]]:
    return {
        a.question.key: (a.text, a.option.code if a.option else "", a.boolean)
        for a in report.answers.select_related("question", "option")
    }


def _links_of(report: Report) -> list[tuple[str, str]]:
    return [(link.kind, link.url) for link in report.links.order_by("kind", "position")]


def _sorted_links(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Links in storage order: by kind, then by position within the kind."""
    return sorted(links, key=lambda kind_url: kind_url[0])  # stable: keeps the order within a kind


def _is_unchanged(report: Report, record: ReportRecord, fields: dict[str, Any]) -> bool:
    for name, value in fields.items():
        expected = value.pk if isinstance(value, models.Model) else value
        if _field_value(report, name) != expected:
            return False
    wanted = {k: (a.text, a.option_code, a.boolean) for k, a in record.answers.items()}
    if _answers_of(report) != wanted:
        return False
    return record.links is None or _links_of(report) == _sorted_links(record.links)


def report_links_replace(report: Report, links: list[tuple[str, str]]) -> None:
    report.links.all().delete()
    positions: dict[str, int] = {}
    rows = []
    for kind, url in links:
        positions[kind] = positions.get(kind, 0) + 1
        link = ReportLink(report=report, kind=kind, url=url, position=positions[kind])
        link.full_clean()
        rows.append(link)
    ReportLink.objects.bulk_create(rows)


@transaction.atomic
def report_upsert(*, record: ReportRecord, actor: Any = None) -> tuple[Report, Outcome]:
    """Create the report of a source record, or update it in place; identical data writes nothing.

    The identity is (source, legacy_id), backed by the `report_unique_legacy_id` constraint, so
    re-importing a file never duplicates a report and never bumps its version when nothing changed.
    """
    fields = record.report_fields()
    report = (
        Report.objects.select_for_update().filter(source=record.source, legacy_id=record.legacy_id).first()
    )
    if report is None:
        fields = {**fields, "source": record.source, "legacy_id": record.legacy_id}
        report = report_create(
            fields=fields, answers=record.answers, actor=actor, action="report.imported", announce=False
        )
        if record.links:
            report_links_replace(report, record.links)
        return report, "created"
    if _is_unchanged(report, record, fields):
        return report, "unchanged"
    report = report_replace(
        report=report,
        fields=fields,
        answers=record.answers,
        actor=actor,
        action="report.reimported",
        announce=False,
    )
    if record.links is not None:
        report_links_replace(report, record.links)
    return report, "updated"


@dataclass
class BulkImport:
    """What `reports_import_published` did, record by record, and the records a model refused."""

    outcomes: list[tuple[ReportRecord, Report, Outcome]] = field(default_factory=list)
    refused: list[tuple[ReportRecord, ValidationError]] = field(default_factory=list)
    notes_written: int = 0


@transaction.atomic
def reports_import_published(
    *, records: Iterable[ReportRecord], actor: Any = None, run: ImportRun | None = None
) -> BulkImport:
    """Upsert reports that were published elsewhere (archives, published texts): the importers' one path.

    Each record is written in its own savepoint: a record a model check refuses is reported in
    `refused` (the caller decides whether to roll everything back) and the others proceed. Raw
    records and notes are stored for records that carry them; changed reports are announced on
    commit with `reports_changed`.
    """
    result = BulkImport()
    for record in records:
        try:
            with transaction.atomic():
                report, outcome = report_upsert(record=record, actor=actor)
                if record.cells is not None:
                    raw_record_sync(report_id=report.pk, run=run, line=record.line, cells=record.cells)
                    result.notes_written += notes_sync(report_id=report.pk, run=run, notes=record.notes)
        except ValidationError as exc:
            result.refused.append((record, exc))
            continue
        result.outcomes.append((record, report, outcome))
    changed = [report.pk for _, report, outcome in result.outcomes if outcome != "unchanged"]
    reports_changed(changed, reason="report.imported")
    return result
