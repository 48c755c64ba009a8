"""The upsert both importers end with: same source record → same report, unchanged → untouched."""

from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import models, transaction

from monitora.questionnaires.validation import CleanAnswer
from monitora.reports.models import Report, ReportLink
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


def _is_unchanged(report: Report, record: ReportRecord) -> bool:
    for name, value in record.fields.items():
        expected = value.pk if isinstance(value, models.Model) else value
        if _field_value(report, name) != expected:
            return False
    wanted = {k: (a.text, a.option_code, a.boolean) for k, a in record.answers.items()}
    if _answers_of(report) != wanted:
        return False
    return record.links is None or _links_of(report) == _sorted_links(record.links)


def _links_replace(report: Report, links: list[tuple[str, str]]) -> None:
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
    report = (
        Report.objects.select_for_update().filter(source=record.source, legacy_id=record.legacy_id).first()
    )
    if report is None:
        fields = {**record.fields, "source": record.source, "legacy_id": record.legacy_id}
        report = report_create(fields=fields, answers=record.answers, actor=actor, action="report.imported")
        if record.links:
            _links_replace(report, record.links)
        return report, "created"
    if _is_unchanged(report, record):
        return report, "unchanged"
    report = report_replace(
        report=report, fields=record.fields, answers=record.answers, actor=actor, action="report.reimported"
    )
    if record.links is not None:
        _links_replace(report, record.links)
    return report, "updated"
