"""Reads for the editors' data-quality queue: notes by report, with the filters editors use."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from monitora.catalogue.models import Territory

from .models import ImportRun, NoteKind, NoteStatus, QualityNote


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    run: int | None = None
    region: str = ""  # ISTAT region code
    status: str = NoteStatus.OPEN

    @classmethod
    def from_query(cls, query) -> "QueueFilters":
        """Unknown values are ignored (an empty filter), never an error page."""
        kind = query.get("tipo", "")
        status = query.get("stato", NoteStatus.OPEN)
        run = query.get("importazione", "")
        return cls(
            kind=kind if kind in NoteKind.values else "",
            run=int(run) if run.isdigit() else None,
            region=query.get("regione", "")[:10],
            status=status if status in NoteStatus.values or status == "tutte" else NoteStatus.OPEN,
        )


def quality_notes(filters: QueueFilters) -> QuerySet[QualityNote]:
    """Notes matching the filters; a region matches the report's project territories at any level."""
    notes = QualityNote.objects.select_related("report", "import_run", "resolved_by")
    if filters.status != "tutte":
        notes = notes.filter(status=filters.status)
    if filters.kind:
        notes = notes.filter(kind=filters.kind)
    if filters.run:
        notes = notes.filter(import_run_id=filters.run)
    if filters.region:
        territories = "report__project__territories__"
        in_region = (
            Q(**{f"{territories}code": filters.region, f"{territories}kind": Territory.Kind.REGION})
            | Q(**{f"{territories}parent__code": filters.region})
            | Q(**{f"{territories}parent__parent__code": filters.region})
        )
        report_ids = QualityNote.objects.filter(in_region).values("report_id")
        notes = notes.filter(report_id__in=report_ids)
    return notes.order_by("-report__published_at", "report_id", "line", "column")


def quality_queue(filters: QueueFilters, *, page_reports: list[int]) -> list[tuple]:
    """[(report, [notes])] for the reports of one page, in queue order."""
    grouped: dict[int, list[QualityNote]] = {}
    for note in quality_notes(filters).filter(report_id__in=page_reports):
        grouped.setdefault(note.report_id, []).append(note)
    return [(grouped[pk][0].report, grouped[pk]) for pk in page_reports if pk in grouped]


def quality_queue_report_ids(filters: QueueFilters) -> list[int]:
    """The reports with matching notes, most recently published first (one id per report)."""
    seen: dict[int, None] = {}
    for pk in quality_notes(filters).values_list("report_id", flat=True):
        seen.setdefault(pk, None)
    return list(seen)


def quality_filter_choices() -> dict:
    return {
        "kinds": NoteKind.choices,
        "statuses": NoteStatus.choices,
        "runs": list(ImportRun.objects.order_by("-created_at")[:50]),
        "regions": list(Territory.objects.filter(kind=Territory.Kind.REGION).order_by("name")),
    }
