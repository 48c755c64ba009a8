"""Computing discrepancies (set-based, in chunks) and dismissing a false positive (audited)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _

from monitora.catalogue.models import Project, Territory
from monitora.core.models import log_action
from monitora.core.permissions import require
from monitora.reports.models import Answer, Report
from monitora.search import geo
from monitora.search.facts import harmonised_judgements

from .models import TRACKED_FIELDS, Discrepancy, OfficialChange
from .official import project_values, snapshot_values
from .rules import RULES, Case
from .signals import announce_discrepancies

CHUNK = 2000
JUDGEMENT_KEYS = ("stato_di_avanzamento", "gs", "giudizio_sintetico", "valutazione_risultati")
SNAPSHOT_KEYS = (*TRACKED_FIELDS, "oc_stato_progetto")


def _cases(report_ids: list[int]) -> list[Case]:
    snapshot = {f"s_{k}": KT(f"project_snapshot__{k}") for k in SNAPSHOT_KEYS}
    current = {f"p_{k}": F(f"project__{k}") for k in TRACKED_FIELDS}
    rows = list(
        Report.objects.published()
        .filter(pk__in=report_ids)
        .values(
            "id", "project_id", "published_at", "submitted_at", "latitude", "longitude", **snapshot, **current
        )
    )
    codes: dict[int, dict[str, str]] = {}
    answers = Answer.objects.filter(
        report_id__in=report_ids, question__key__in=JUDGEMENT_KEYS, option__isnull=False
    ).values_list("report_id", "question__key", "option__code")
    for report_id, key, code in answers:
        codes.setdefault(report_id, {})[key] = code
    project_ids = {row["project_id"] for row in rows if row["project_id"]}
    places = _places(project_ids)
    payments = dict(
        OfficialChange.objects.filter(project_id__in=project_ids, field="payments")
        .values("project_id")
        .annotate(last=Max("recorded_at"))
        .values_list("project_id", "last")
    )
    cases = []
    for row in rows:
        judged = harmonised_judgements(codes.get(row["id"], {}))
        visited = row["submitted_at"] or row["published_at"]
        pid = row["project_id"]
        cases.append(
            Case(
                report_id=row["id"],
                project_id=pid,
                visited_on=visited.date() if visited else None,
                published_at=row["published_at"],
                progress=judged["progress"],
                effectiveness=judged["effectiveness"],
                latitude=row["latitude"],
                longitude=row["longitude"],
                snapshot=snapshot_values({k: row[f"s_{k}"] for k in SNAPSHOT_KEYS}),
                current=project_values({k: row[f"p_{k}"] for k in TRACKED_FIELDS}) if pid else {},
                places=places.get(pid, []),
                last_payment_change=payments.get(pid),
            )
        )
    return cases


def _places(project_ids: set[int]) -> dict[int, list[tuple[float, float]]]:
    """Centroids of each project's comuni (the catalogue's, else the shipped ISTAT ones)."""
    through = Project.territories.through
    rows = through.objects.filter(
        project_id__in=project_ids, territory__kind=Territory.Kind.MUNICIPALITY
    ).values_list("project_id", "territory__code", "territory__latitude", "territory__longitude")
    out: dict[int, list[tuple[float, float]]] = {}
    for pid, code, lat, lon in rows:
        if lat is None or lon is None:
            place = geo.comuni().get(geo.normalise_code("comune", code))
            if place is None or place.latitude is None:
                continue
            lat, lon = place.latitude, place.longitude
        out.setdefault(pid, []).append((lat, lon))
    return out


def _scope(report_ids: Iterable[int] | None, project_ids: Iterable[int] | None) -> list[int]:
    """Published report ids in scope, read in chunks (SQLite caps the parameters of one query)."""
    published = Report.objects.published()
    if report_ids is None and project_ids is None:
        return list(published.order_by("pk").values_list("pk", flat=True))
    ids: set[int] = set()
    for field, values in (("pk__in", report_ids), ("project_id__in", project_ids)):
        values = sorted(set(values or []))
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            ids.update(published.filter(**{field: chunk}).values_list("pk", flat=True))
    return sorted(ids)


def discrepancies_compute(
    *,
    report_ids: Iterable[int] | None = None,
    project_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Run every rule on the published reports in scope (all when no scope is given).

    New findings are created, findings that no longer hold are marked resolved, dismissed ones stay
    dismissed (their evidence is refreshed). Returns counts; new findings are announced on commit.
    """
    now = now or timezone.now()
    ids = _scope(report_ids, project_ids)
    counts = {"checked": 0, "new": 0, "resolved": 0, "holding": 0}
    new_ids: list[int] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            new_ids += _compute_chunk(chunk, now, counts)
    # Reports no longer published keep their rows (history) but no longer count: resolve them.
    if report_ids is not None:
        gone = Discrepancy.objects.filter(report_id__in=list(report_ids), resolved_at__isnull=True).exclude(
            report__status="published"
        )
        counts["resolved"] += gone.update(resolved_at=now)
    announce_discrepancies(new_ids, set(ids))
    return counts


def _compute_chunk(chunk: list[int], now: datetime, counts: dict[str, int]) -> list[int]:
    existing = {(d.report_id, d.rule): d for d in Discrepancy.objects.filter(report_id__in=chunk)}
    found: dict[tuple[int, str], tuple[Case, str, dict[str, Any]]] = {}
    for case in _cases(chunk):
        counts["checked"] += 1
        for rule in RULES:
            result = rule.check(rule, case, now)
            if result:
                found[(case.report_id, rule.code)] = (case, *result)
    create, update = [], []
    for key, (case, basis, evidence) in found.items():
        old = existing.get(key)
        if old is None:
            create.append(
                Discrepancy(
                    report_id=case.report_id,
                    project_id=case.project_id,
                    rule=key[1],
                    basis=basis,
                    evidence=evidence,
                    found_at=now,
                    checked_at=now,
                )
            )
        else:
            old.basis, old.evidence, old.checked_at, old.resolved_at = basis, evidence, now, None
            update.append(old)
    for key, old in existing.items():
        if key not in found and old.resolved_at is None:
            old.resolved_at, old.checked_at = now, now
            update.append(old)
            counts["resolved"] += 1
    Discrepancy.objects.bulk_update(
        update, ["basis", "evidence", "checked_at", "resolved_at"], batch_size=500
    )
    made = Discrepancy.objects.bulk_create(create, batch_size=500)
    counts["new"] += len(made)
    counts["holding"] += len(found)
    if made and made[0].pk is None:  # backends that do not return ids from bulk inserts
        made = list(Discrepancy.objects.filter(report_id__in=chunk, found_at=now))
    return [d.pk for d in made]


def discrepancy_dismiss(*, discrepancy: Discrepancy, by: Any, reason: str) -> Discrepancy:
    """An editor marks a finding as a false positive; the reason goes to the finding and the log."""
    require(by, "discrepancy.dismiss", discrepancy)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Indica perché la discrepanza non è fondata.")]}, code="reason_required"
        )
    if discrepancy.dismissed_at:
        raise ValidationError(_("Questa discrepanza è già stata archiviata."), code="already_dismissed")
    with transaction.atomic():
        discrepancy.dismissed_at = timezone.now()
        discrepancy.dismissed_by = by
        discrepancy.dismissal_reason = reason
        discrepancy.save(update_fields=["dismissed_at", "dismissed_by", "dismissal_reason"])
        log_action(
            discrepancy,
            action="discrepancy.dismissed",
            actor=by,
            data={"report": discrepancy.report_id, "rule": discrepancy.rule, "reason": reason},
        )
    return discrepancy
