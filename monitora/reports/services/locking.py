"""Conditional UPDATE: a write happens only if status and lock_version are what the writer saw."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from ..models import ImpactStatus, Report, ReportStatus


class ConcurrentEditError(ValidationError):
    """The report changed since the writer loaded it: nothing was written, reload and retry."""


def conditional_update(
    report: Report,
    *,
    expected_lock_version: int,
    expected: dict[str, Any],
    changes: dict[str, Any],
) -> None:
    """UPDATE report SET changes, lock_version+1 WHERE pk AND expected AND lock_version=expected.

    Exactly one of two parallel writers matches the WHERE clause; the other gets a
    ConcurrentEditError naming what changed. Call inside transaction.atomic. `report` is updated
    in place with the new values.
    """
    updated = Report.objects.filter(pk=report.pk, lock_version=expected_lock_version, **expected).update(
        lock_version=F("lock_version") + 1, **changes
    )
    if updated != 1:
        current = (
            Report.objects.filter(pk=report.pk).values("status", "impact_status", "lock_version").first()
        )
        if current is None:
            raise ValidationError(_("Il report non esiste più."), code="gone")
        for name, value in expected.items():
            if current.get(name) != value:
                raise ConcurrentEditError(
                    _("Operazione non eseguita: nel frattempo lo stato è diventato «%(state)s».")
                    % {"state": state_label(name, current[name])},
                    code="state_changed",
                )
        raise ConcurrentEditError(
            _(
                "Il report è stato modificato da qualcun altro mentre lo stavi modificando: "
                "le tue modifiche non sono state salvate sul report. Ricarica la pagina e riprova."
            ),
            code="stale",
        )
    for name, value in changes.items():
        setattr(report, name, value)
    report.lock_version = expected_lock_version + 1


def state_label(field: str, value: str) -> str:
    choices = ReportStatus if field == "status" else ImpactStatus
    try:
        return str(choices(value).label)
    except ValueError:
        return value
