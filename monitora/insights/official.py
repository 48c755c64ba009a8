"""Recording which official fields of reported projects changed at a catalogue import.

Set-based: the changed project ids are intersected with the projects that have published reports,
then current values, baselines and (for projects never seen) the latest report snapshot are read
in chunks and compared in memory; changes and new baselines are written with bulk statements.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from monitora.catalogue.models import ImportRun, Project
from monitora.reports.models import Report

from .models import TRACKED_FIELDS, OfficialBaseline, OfficialChange
from .signals import announce_official_changes

CHUNK = 5000
MONEY_FIELDS = ("payments", "public_funding")
DATE_FIELDS = ("planned_end_date", "actual_end_date")
# Older snapshots (archive imports) may spell the state as the OpenCoesione files do.
STATE_KEYS = ("state", "oc_stato_progetto", "OC_STATO_PROGETTO", "stato_progetto")


def normalise(field: str, value: Any) -> str:
    """One text form per value, whatever its source: "120000.00", "2024-06-30", "In corso", ""."""
    if value is None:
        return ""
    if field in MONEY_FIELDS:
        try:
            return str(Decimal(str(value).strip().replace(",", ".")).quantize(Decimal("0.01")))
        except (InvalidOperation, ValueError):
            return ""
    if field in DATE_FIELDS:
        if isinstance(value, datetime | date):
            return value.isoformat()[:10]
        return str(value).strip()[:10]
    return str(value).strip()


def project_values(project: Project | dict) -> dict[str, str]:
    get = project.get if isinstance(project, dict) else lambda name: getattr(project, name)
    return {name: normalise(name, get(name)) for name in TRACKED_FIELDS}


def snapshot_values(snapshot: dict | None) -> dict[str, str]:
    """The tracked values a snapshot holds; a field the snapshot lacks is left out (not compared)."""
    snapshot = snapshot if isinstance(snapshot, dict) else {}
    # "null": a JSON null read through a key transform on SQLite.
    values = {
        name: normalise(name, None if snapshot[name] == "null" else snapshot[name])
        for name in TRACKED_FIELDS
        if name in snapshot
    }
    given = (str(snapshot[k]).strip() for k in STATE_KEYS if snapshot.get(k) not in (None, "", "null"))
    state = next(given, "")
    if state or "state" in values:
        values["state"] = state
    return values


def reported_projects(project_ids: Iterable[int] | None = None) -> set[int]:
    """Ids of the projects with at least one published report (among `project_ids` if given)."""
    published = Report.objects.published().filter(project__isnull=False)
    wanted = None if project_ids is None else set(project_ids)
    if wanted is not None and len(wanted) <= CHUNK:  # a publish: ask about these projects only
        published = published.filter(project_id__in=wanted)
    reported = set(published.values_list("project_id", flat=True).distinct())
    return reported if wanted is None else reported & wanted


def _latest_snapshots(project_ids: list[int]) -> dict[int, dict[str, str]]:
    """The official values frozen in the latest published report of each project."""
    latest = (
        Report.objects.published()
        .filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    rows = Report.objects.filter(pk__in=list(latest)).values_list("project_id", "project_snapshot")
    return {project_id: snapshot_values(snapshot) for project_id, snapshot in rows}


def record_official_changes(
    *, project_ids: Iterable[int], import_run: ImportRun | None = None, at: datetime | None = None
) -> list[OfficialChange]:
    """Record the tracked fields that changed on reported projects; update their baselines.

    A project without a baseline is compared with its latest report snapshot (the values citizens
    saw), so the first import after a report already tells what changed since then.
    """
    at = at or timezone.now()
    ids = sorted(reported_projects(project_ids))
    created: list[OfficialChange] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            created += _record_chunk(chunk, import_run, at)
    announce_official_changes([c.pk for c in created], {c.project_id for c in created})
    return created


def _record_chunk(chunk: list[int], import_run: ImportRun | None, at: datetime) -> list[OfficialChange]:
    current = {
        row["id"]: project_values(row)
        for row in Project.objects.filter(pk__in=chunk).values("id", *TRACKED_FIELDS)
    }
    baselines = dict(
        OfficialBaseline.objects.filter(project_id__in=chunk).values_list("project_id", "values")
    )
    missing = [pk for pk in chunk if pk not in baselines]
    if missing:
        baselines.update(_latest_snapshots(missing))
    changes: list[OfficialChange] = []
    updated: list[OfficialBaseline] = []
    for pk, now in current.items():
        before = baselines.get(pk) or {}
        differing = [f for f in TRACKED_FIELDS if f in before and before[f] != now[f]]
        for name in differing:
            changes.append(
                OfficialChange(
                    project_id=pk,
                    field=name,
                    old=before[name],
                    new=now[name],
                    import_run=import_run,
                    recorded_at=at,
                )
            )
        if differing or before.keys() != now.keys() or pk in missing:
            updated.append(OfficialBaseline(project_id=pk, values=now))
    OfficialChange.objects.bulk_create(changes, batch_size=1000)
    OfficialBaseline.objects.bulk_create(
        updated,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=["values", "updated_at"],
    )
    return changes


def baseline_seed(*, project_ids: Iterable[int]) -> None:
    """Give reported projects without a baseline one from the catalogue as it is (on publish)."""
    ids = sorted(reported_projects(project_ids))
    have = set(OfficialBaseline.objects.filter(project_id__in=ids).values_list("project_id", flat=True))
    rows = Project.objects.filter(pk__in=[pk for pk in ids if pk not in have]).values("id", *TRACKED_FIELDS)
    OfficialBaseline.objects.bulk_create(
        [OfficialBaseline(project_id=row["id"], values=project_values(row)) for row in rows],
        batch_size=1000,
        ignore_conflicts=True,
    )
