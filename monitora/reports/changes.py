"""The one hook for "these reports changed".

Every write path (services, importers, the catalogue import through `catalogue.changes`) calls
`reports_changed`; listeners (the search index, caches) subscribe to `report_changed` in their
app's `ready()`. The signal is sent only after the transaction commits, so a rolled-back write
never reaches the index, and listeners queue their work on the task backend instead of doing it
inside the request. The reports app never imports its listeners: no import cycle.
"""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.dispatch import Signal

# Page-cache scopes (`monitora.core.pagecache`): every page listing or counting published reports
# depends on REPORTS_SCOPE (a report page too: it links other reports); a report's PDF on
# `report_scope(pk)` only.
REPORTS_SCOPE = "reports"


def report_scope(report_id: int) -> str:
    return f"report:{int(report_id)}"


# Sent on commit with `report_ids: frozenset[int]` and `reason: str` (an audit-style verb).
report_changed = Signal()


def reports_changed(report_ids: Iterable[int], *, reason: str) -> None:
    """Announce, once the current transaction commits, that these reports changed."""
    ids = frozenset(int(pk) for pk in report_ids)
    if ids:
        transaction.on_commit(partial(report_changed.send, sender=None, report_ids=ids, reason=reason))
