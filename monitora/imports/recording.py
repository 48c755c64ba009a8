"""How importers keep what they could not type: one import run per file, raw records, notes.

Called inside the importer's transaction. Everything here is idempotent: the same file and the
same cells write nothing the second time, and an editor's decision (accepted, corrected) on a
note survives re-imports of the same source value.
"""

import hashlib
from dataclasses import dataclass

from .models import ImportRun, NoteStatus, QualityNote, RawRecord


@dataclass(frozen=True)
class CellNote:
    """A source cell kept aside: where it was, what it said, why it was not typed."""

    line: int | None
    column: str
    raw_value: str
    kind: str
    reason: str


def import_run_for(*, source: str, file_name: str, data: bytes) -> ImportRun:
    """The run of this file's content (created the first time the bytes are imported)."""
    digest = hashlib.sha256(data).hexdigest()
    run, _ = ImportRun.objects.get_or_create(
        source=source, digest=digest, defaults={"file_name": file_name[:300]}
    )
    return run


def corrections_for(*, report_ids: list[int]) -> dict[int, dict[str, tuple[str, str]]]:
    """Editors' corrections by report: {column: (source value, corrected value)}."""
    found: dict[int, dict[str, tuple[str, str]]] = {}
    for note in QualityNote.objects.filter(report_id__in=report_ids, status=NoteStatus.CORRECTED):
        found.setdefault(note.report_id, {})[note.column] = (note.raw_value, note.corrected_value)
    return found


def raw_record_sync(
    *, report_id: int, run: ImportRun | None, line: int | None, cells: dict[str, str]
) -> bool:
    """Store the source record verbatim; True when something was written."""
    cells = {column: value for column, value in cells.items() if value != ""}
    record = RawRecord.objects.filter(report_id=report_id).first()
    if record is None:
        RawRecord.objects.create(report_id=report_id, import_run=run, line=line, cells=cells)
        return True
    if (record.cells, record.line) == (cells, line):
        return False
    record.cells, record.line, record.import_run = cells, line, run
    record.save(update_fields=["cells", "line", "import_run"])
    return True


def notes_sync(*, report_id: int, run: ImportRun | None, notes: list[CellNote]) -> int:
    """Make the report's notes match this import; returns how many notes were created or changed.

    A note whose source value is unchanged keeps its status. A new source value reopens it.
    Notes the source no longer produces go away, except corrections: they are the editor's value.
    """
    existing = {(n.column, n.kind): n for n in QualityNote.objects.filter(report_id=report_id)}
    written = 0
    for cell in notes:
        note = existing.pop((cell.column, cell.kind), None)
        if note is None:
            QualityNote.objects.create(
                report_id=report_id,
                import_run=run,
                line=cell.line,
                column=cell.column,
                raw_value=cell.raw_value,
                kind=cell.kind,
                reason=cell.reason,
            )
            written += 1
        elif (note.raw_value, note.reason, note.line) != (cell.raw_value, cell.reason, cell.line):
            if note.raw_value != cell.raw_value:
                note.status, note.corrected_value = NoteStatus.OPEN, ""
                note.resolved_by, note.resolved_at = None, None
            note.raw_value, note.reason, note.line, note.import_run = (
                cell.raw_value,
                cell.reason,
                cell.line,
                run,
            )
            note.save()
            written += 1
    stale = [n.pk for n in existing.values() if n.status != NoteStatus.CORRECTED]
    QualityNote.objects.filter(pk__in=stale).delete()
    return written
