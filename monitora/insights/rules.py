"""Discrepancy rules, kept as data: a code, a title, a plain-language explanation, parameters.

Each rule's `check` reads one `Case` (what citizens found, the official values at report time and
now) and returns the basis ("snapshot" or "current") and the evidence, or None. Adding a rule is one
entry in RULES; docs/insights.md lists them for readers.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

# Harmonised progress codes (questionnaires.definitions.PROGRESS_STATES).
JUST_STARTED, NEVER_STARTED, ONGOING, ONGOING_PROBLEMS, BLOCKED, COMPLETED, UNVERIFIABLE = "1234567"
EFFECTIVENESS_NOT_ASSESSABLE = "4"
CONCLUDED_STATES = ("concluso", "liquidato")


@dataclass
class Case:
    """One published report and its project's official data, as the rules read them."""

    report_id: int
    project_id: int | None
    visited_on: date | None
    published_at: datetime | None
    progress: str = ""
    effectiveness: str = ""
    latitude: float | None = None
    longitude: float | None = None
    snapshot: dict[str, str] = field(default_factory=dict)
    current: dict[str, str] = field(default_factory=dict)
    places: list[tuple[float, float]] = field(default_factory=list)
    last_payment_change: datetime | None = None


Finding = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    code: str
    title: Any
    explanation: Any
    params: dict[str, Any]
    check: Callable[["Rule", Case, datetime], Finding | None]


def is_concluded(values: dict[str, str]) -> bool:
    return values.get("state", "").strip().casefold() in CONCLUDED_STATES


def payment_ratio(values: dict[str, str]) -> float | None:
    try:
        funding, payments = float(values.get("public_funding") or 0), float(values.get("payments") or "nan")
    except ValueError:
        return None
    if not funding or math.isnan(payments):
        return None
    return payments / funding


def _official(values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if v}


def _citizens(case: Case) -> dict[str, Any]:
    return {
        "progress": case.progress,
        "effectiveness": case.effectiveness,
        "visited_on": str(case.visited_on or ""),
    }


def _blocked_but_concluded(rule: Rule, case: Case, now: datetime) -> Finding | None:
    if case.progress not in rule.params["progress"]:
        return None
    for basis, values in (("snapshot", case.snapshot), ("current", case.current)):
        ratio = payment_ratio(values)
        if is_concluded(values) or (ratio is not None and ratio >= rule.params["paid_ratio"]):
            return basis, {"citizens": _citizens(case), "official": _official(values), "payment_ratio": ratio}
    return None


def _concluded_without_result(rule: Rule, case: Case, now: datetime) -> Finding | None:
    no_result = case.progress in rule.params["progress"] or (
        case.effectiveness in rule.params["effectiveness"] and case.progress in ("", COMPLETED)
    )
    if not no_result:
        return None
    for basis, values in (("snapshot", case.snapshot), ("current", case.current)):
        if is_concluded(values):
            return basis, {"citizens": _citizens(case), "official": _official(values)}
    return None


def _overdue_in_progress(rule: Rule, case: Case, now: datetime) -> Finding | None:
    values = case.snapshot if case.snapshot.get("planned_end_date") else case.current
    planned = values.get("planned_end_date", "")
    if not planned or not case.visited_on or is_concluded(values) or is_concluded(case.current):
        return None
    try:
        planned_on = date.fromisoformat(planned)
    except ValueError:
        return None
    late = (case.visited_on - planned_on).days
    if late < rule.params["grace_days"]:
        return None
    basis = "snapshot" if values is case.snapshot else "current"
    evidence = {"citizens": _citizens(case), "official": _official(values), "days_late": late}
    evidence["official_now"] = _official(case.current)
    return basis, evidence


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _far_from_places(rule: Rule, case: Case, now: datetime) -> Finding | None:
    if case.latitude is None or case.longitude is None or not case.places:
        return None
    nearest = min(distance_km((case.latitude, case.longitude), p) for p in case.places)
    if nearest <= rule.params["max_km"]:
        return None
    citizens = {"latitude": case.latitude, "longitude": case.longitude}
    return "current", {
        "citizens": citizens,
        "nearest_place_km": round(nearest, 1),
        "places": len(case.places),
    }


def _payments_stalled(rule: Rule, case: Case, now: datetime) -> Finding | None:
    if case.progress not in rule.params["progress"] or not case.published_at:
        return None
    before, after = case.snapshot.get("payments", ""), case.current.get("payments", "")
    if not before or before != after:
        return None
    if case.last_payment_change and case.last_payment_change > case.published_at:
        return None
    if now - case.published_at < timedelta(days=365 * rule.params["years"]):
        return None
    years = round((now - case.published_at).days / 365, 1)
    return "current", {"citizens": _citizens(case), "official": _official(case.current), "years": years}


RULES: tuple[Rule, ...] = (
    Rule(
        "blocked_but_concluded",
        _("Bloccato per i cittadini, concluso per i dati ufficiali"),
        _(
            "Chi ha monitorato ha trovato il progetto mai partito o bloccato, mentre i dati ufficiali "
            "(al momento del report o oggi) lo danno concluso o con pagamenti pari al finanziamento."
        ),
        {"progress": (NEVER_STARTED, BLOCKED), "paid_ratio": 1.0},
        _blocked_but_concluded,
    ),
    Rule(
        "concluded_without_result",
        _("Concluso per i dati ufficiali, nessun risultato visibile"),
        _(
            "I dati ufficiali danno il progetto concluso, ma chi ha monitorato lo ha trovato appena "
            "avviato o ancora in corso, oppure senza risultati valutabili."
        ),
        {
            "progress": (JUST_STARTED, ONGOING, ONGOING_PROBLEMS),
            "effectiveness": (EFFECTIVENESS_NOT_ASSESSABLE,),
        },
        _concluded_without_result,
    ),
    Rule(
        "overdue_in_progress",
        _("Fine prevista superata da tempo, ancora in corso"),
        _(
            "Al momento della visita la data di fine prevista era passata da oltre un anno e il "
            "progetto risultava ancora non concluso; non lo è nemmeno oggi."
        ),
        {"grace_days": 365},
        _overdue_in_progress,
    ),
    Rule(
        "far_from_places",
        _("Luogo del report lontano dai luoghi del progetto"),
        _(
            "Il punto indicato da chi ha monitorato è a più di 30 km da ogni comune in cui i dati "
            "ufficiali localizzano il progetto: il report potrebbe riguardare un altro intervento."
        ),
        {"max_km": 30.0},
        _far_from_places,
    ),
    Rule(
        "payments_stalled",
        _("Pagamenti fermi dopo un report che lo trovava bloccato"),
        _(
            "Chi ha monitorato ha trovato il progetto bloccato o mai partito e da allora, per almeno "
            "due anni, i pagamenti ufficiali non sono cambiati."
        ),
        {"progress": (NEVER_STARTED, BLOCKED), "years": 2},
        _payments_stalled,
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
