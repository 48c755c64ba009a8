"""Match an event to the follows it concerns, set-based, and record one notification per person.

`notify_followers` is called by this app's report hook (publication, administration reply,
impact update) and, after the merge, by the insights code (official-data changes, discrepancies).
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Q

from monitora.catalogue.models import Project
from monitora.reports.models import Report
from monitora.search.models import ReportSearchDocument
from monitora.search.selectors import report_select

from .models import DELIVERY_RANK, Delivery, EventKind, Follow, FollowEvent, Notification
from .targets import search_filters

# Immediate e-mails are sent by tasks of this many notifications each.
DELIVERY_CHUNK = 100


@dataclass
class Targets:
    project_codes: set[str] = field(default_factory=set)
    territory_codes: set[str] = field(default_factory=set)
    theme_codes: set[str] = field(default_factory=set)


def report_targets(report_ids: Iterable[int]) -> Targets:
    """The projects, places (with the provinces and regions around them) and themes of reports."""
    ids = list(report_ids)
    out = Targets()
    project_ids = set()
    for project_id, linked_code, code in Report.objects.filter(pk__in=ids).values_list(
        "project_id", "project__code", "project_code"
    ):
        out.project_codes.add(linked_code or code)
        if project_id:
            project_ids.add(project_id)
    for region, province, theme in ReportSearchDocument.objects.filter(report_id__in=ids).values_list(
        "region", "province", "theme"
    ):
        out.territory_codes.update(c for c in (region, province) if c)
        if theme:
            out.theme_codes.add(theme)
    _add_project_places(out, project_ids)
    out.project_codes.discard("")
    out.project_codes.discard(None)
    return out


def _add_project_places(out: Targets, project_ids: set[int]) -> None:
    if not project_ids:
        return
    links = Project.territories.through.objects.filter(project_id__in=project_ids)
    for codes in links.values_list(
        "territory__code", "territory__parent__code", "territory__parent__parent__code"
    ):
        out.territory_codes.update(c for c in codes if c)
    out.theme_codes.update(
        c for c in Project.objects.filter(id__in=project_ids).values_list("theme_code", flat=True) if c
    )


def _matching_follows(targets: Targets, report_ids: list[int]) -> list[tuple[int, int, str]]:
    """(follow id, user id, delivery) of every follow the event concerns: one query per kind of
    target, plus one per distinct saved search when the event is about reports."""
    condition = Q(pk__in=[])
    for kind, codes in (
        (Follow.Kind.PROJECT, targets.project_codes),
        (Follow.Kind.TERRITORY, targets.territory_codes),
        (Follow.Kind.THEME, targets.theme_codes),
    ):
        if codes:
            condition |= Q(kind=kind, target__in=sorted(codes))
    active = Follow.objects.filter(user__is_active=True)
    rows = list(active.filter(condition).values_list("id", "user_id", "delivery"))
    if report_ids:
        searches = active.filter(kind=Follow.Kind.SEARCH).values_list("target", flat=True).distinct()
        for query in searches.order_by():
            filters = search_filters(query)
            if filters and report_select(filters).filter(report_id__in=report_ids).exists():
                saved = active.filter(kind=Follow.Kind.SEARCH, target=query)
                rows.extend(saved.values_list("id", "user_id", "delivery"))
    return rows


def _event_key(event_kind: str, title: str, url: str) -> str:
    digest = hashlib.sha256("\n".join((title, url)).encode()).hexdigest()[:40]
    return f"{event_kind}:{digest}"


def notify_followers(
    *,
    event_kind: str,
    title: str,
    url: str,
    project_ids: Iterable[int] = (),
    territory_codes: Iterable[str] = (),
    theme_codes: Iterable[str] = (),
    report_ids: Iterable[int] = (),
    key: str = "",
) -> int:
    """Record an event and notify everyone following what it concerns; returns the notifications made.

    - `event_kind`: an `EventKind` value ("official_change", "discrepancy", ...).
    - `project_ids`: catalogue Project ids; `territory_codes`: ISTAT codes (2 digits region,
      3 province, 6 comune; pass the enclosing province and region too, or give `report_ids`);
      `theme_codes`: OpenCoesione theme codes ("09").
    - `report_ids`: reports the event is about; their projects, places and themes are added, and
      saved report searches that find them match too.
    - `title`, `url`: what the e-mail says and links (a path like "/progetti/X/" or a full URL).
    - `key`: idempotence; an event with a key already recorded notifies nobody again. Defaults to
      a hash of kind, title and url.

    Each person gets one notification per event (their fastest delivery among the matching
    follows); immediate ones are queued as e-mail tasks after the transaction commits.
    """
    if event_kind not in EventKind.values:
        raise ValueError(f"unknown event kind {event_kind!r}")
    report_ids = sorted({int(r) for r in report_ids})
    targets = report_targets(report_ids) if report_ids else Targets()
    targets.project_codes.update(
        Project.objects.filter(id__in=list(project_ids)).values_list("code", flat=True)
    )
    targets.territory_codes.update(str(c) for c in territory_codes if c)
    targets.theme_codes.update(str(c) for c in theme_codes if c)
    with transaction.atomic():
        event, created = FollowEvent.objects.get_or_create(
            key=(key or _event_key(event_kind, title, url))[:200],
            defaults={"kind": event_kind, "title": title[:500], "url": url[:1000]},
        )
        if not created:
            return 0
        best: dict[int, tuple[int, str]] = {}
        for follow_id, user_id, delivery in _matching_follows(targets, report_ids):
            current = best.get(user_id)
            if current is None or DELIVERY_RANK[delivery] < DELIVERY_RANK[current[1]]:
                best[user_id] = (follow_id, delivery)
        notifications = Notification.objects.bulk_create(
            [
                Notification(user_id=user_id, follow_id=follow_id, event=event, delivery=delivery)
                for user_id, (follow_id, delivery) in sorted(best.items())
            ],
            batch_size=1000,
        )
        immediate = list(
            Notification.objects.filter(event=event, delivery=Delivery.IMMEDIATE).values_list("id", flat=True)
        )
        for start in range(0, len(immediate), DELIVERY_CHUNK):
            transaction.on_commit(partial(_enqueue_delivery, immediate[start : start + DELIVERY_CHUNK]))
    return len(notifications)


def _enqueue_delivery(notification_ids: list[int]) -> None:
    from .tasks import deliver_notifications

    deliver_notifications.enqueue(notification_ids=notification_ids)
