"""Signals other apps may follow (the follows app notifies followers): sent on commit.

`official_changes_recorded(project_ids: frozenset[int], change_ids: list[int])`
`discrepancies_found(discrepancy_ids: list[int], report_ids: frozenset[int])` (new findings only)
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

official_changes_recorded = Signal()
discrepancies_found = Signal()


def announce_official_changes(change_ids: list[int], project_ids: set[int]) -> None:
    if change_ids:
        transaction.on_commit(
            partial(
                official_changes_recorded.send,
                sender=None,
                project_ids=frozenset(project_ids),
                change_ids=list(change_ids),
            )
        )


def announce_discrepancies(discrepancy_ids: list[int], report_ids: set[int]) -> None:
    if discrepancy_ids:
        transaction.on_commit(
            partial(
                discrepancies_found.send,
                sender=None,
                discrepancy_ids=list(discrepancy_ids),
                report_ids=frozenset(report_ids),
            )
        )
