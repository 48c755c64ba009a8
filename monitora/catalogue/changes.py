"""The hook for "these catalogue projects changed" (an import, an edit in the admin).

Sent on commit with `project_ids: frozenset[int]`, `reason: str` and, for an import,
`import_run_id`. Apps that derive data from projects (the search index of the reports on them,
the insights' official changes) subscribe in `ready()`; the catalogue imports none of them, so
there is no import cycle.
"""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.dispatch import Signal

project_changed = Signal()

# Page-cache scope (`monitora.core.pagecache`) of every page that shows catalogue data.
CATALOGUE_SCOPE = "catalogue"


def projects_changed(project_ids: Iterable[int], *, reason: str, import_run_id: int | None = None) -> None:
    """Announce, once the current transaction commits, that these projects changed."""
    ids = frozenset(int(pk) for pk in project_ids)
    if ids:
        transaction.on_commit(
            partial(
                project_changed.send,
                sender=None,
                project_ids=ids,
                reason=reason,
                import_run_id=import_run_id,
            )
        )
