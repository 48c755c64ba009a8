"""Writes by authors: create a draft, save it (optimistic locking), save Step 3, propose revisions."""

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitora.catalogue.models import Project
from monitora.core.models import log_action
from monitora.core.permissions import require
from monitora.moderation.services.locking import conditional_update
from monitora.questionnaires.definitions import CURRENT, get_spec
from monitora.questionnaires.models import Questionnaire
from monitora.questionnaires.validation import CleanAnswer, clean_answers
from monitora.reports.models import ImpactStatus, Report, ReportStatus
from monitora.reports.services import report_create, report_save_answers
from monitora.teams.models import Team

from .selectors import report_raw_answers

# The only report columns an author may set. Everything else (status, team, author, dates) is
# decided by services, so forged form fields have nothing to bind to.
AUTHOR_FIELDS = ("title", "address", "postcode", "latitude", "longitude")


def project_centroid(project: Project | None) -> tuple[float | None, float | None]:
    """The first comune of the project that has coordinates: a sane default for the map pin."""
    if project is None:
        return None, None
    territory = (
        project.territories.filter(kind="C", latitude__isnull=False, longitude__isnull=False)
        .order_by("code")
        .first()
    )
    return (territory.latitude, territory.longitude) if territory else (None, None)


def cup_nature_of(report: Report) -> str:
    return report.project.cup_nature if report.project_id else ""


def clean_author_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Whitelist and validate the author-settable columns; raise ValidationError by field."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name in AUTHOR_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name in ("latitude", "longitude"):
            if value in (None, ""):
                clean[name] = None
                continue
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                errors[name] = [_("Inserisci un numero (es. 41.9028).")]
                continue
            limit = 90 if name == "latitude" else 180
            if not math.isfinite(number) or not -limit <= number <= limit:
                errors[name] = [_("Valore fuori intervallo (da -%(l)s a %(l)s).") % {"l": limit}]
                continue
            clean[name] = number
        else:
            text = " ".join(str(value or "").split())
            limit = {"title": 500, "address": 500, "postcode": 10}[name]
            if len(text) > limit:
                errors[name] = [_("Troppo lungo (massimo %(n)s caratteri).") % {"n": limit}]
                continue
            clean[name] = text
    if ("latitude" in clean) != ("longitude" in clean) or (
        "latitude" in clean and (clean["latitude"] is None) != (clean["longitude"] is None)
    ):
        errors.setdefault("latitude", []).append(_("Indica sia la latitudine sia la longitudine, o nessuna."))
    if errors:
        raise ValidationError(errors)
    return clean


MAX_LINKS = 20
LINK_KINDS = ("source", "video")


def clean_links(links: dict[str, Any]) -> dict[str, list[str]]:
    """Source and video links, one per line: http(s) only, deduplicated, at most MAX_LINKS each."""
    from django.core.validators import URLValidator

    validate = URLValidator(schemes=["http", "https"])
    errors: dict[str, list[str]] = {}
    clean: dict[str, list[str]] = {}
    for kind in LINK_KINDS:
        if kind not in links:
            continue
        value = links[kind]
        lines = value.splitlines() if isinstance(value, str) else list(value)
        urls: list[str] = []
        for line in (str(x).strip() for x in lines):
            if not line or line in urls:
                continue
            try:
                validate(line)
            except ValidationError:
                errors.setdefault(f"links_{kind}", []).append(
                    _("Link non valido: %(url)s") % {"url": line[:200]}
                )
                continue
            urls.append(line[:1000])
        if len(urls) > MAX_LINKS:
            errors.setdefault(f"links_{kind}", []).append(_("Al massimo %(n)s link.") % {"n": MAX_LINKS})
        clean[kind] = urls
    if errors:
        raise ValidationError(errors)
    return clean


def _save_links(report: Report, links: dict[str, list[str]]) -> None:
    from monitora.reports.models import ReportLink

    for kind, urls in links.items():
        report.links.filter(kind=kind).delete()
        ReportLink.objects.bulk_create(
            ReportLink(report=report, kind=kind, url=url, position=i) for i, url in enumerate(urls)
        )


def keys_of_steps(report: Report, steps: tuple[int, ...]) -> set[str]:
    return {q.key for q in get_spec(report.questionnaire.code).questions if q.step in steps}


def merged_answers(
    report: Report, raw: dict[str, Any], *, steps: tuple[int, ...], require_complete: bool = False
) -> dict[str, CleanAnswer]:
    """Validate `raw` (answers of `steps`) together with the stored answers of the other steps."""
    own = keys_of_steps(report, steps)
    unknown = sorted(set(raw) - own)
    if unknown:
        raise ValidationError({k: [_("domanda non modificabile in questo passo")] for k in unknown})
    stored = {k: v for k, v in report_raw_answers(report).items() if k not in own}
    return clean_answers(
        report.questionnaire.code,
        {**stored, **raw},
        require_complete=require_complete,
        cup_nature=cup_nature_of(report),
        steps=steps,
    )


@transaction.atomic
def report_draft_create(*, by: Any, team: Team, project: Project | None, project_code: str = "") -> Report:
    """Start a draft for a project, pre-filled from the catalogue (title, summary, map pin)."""
    require(by, "team.create_report", team)
    lat, lon = project_centroid(project)
    fields = {
        "title": (project.title[:480] if project else "") or _("Nuovo report"),
        "questionnaire": Questionnaire.objects.get(code=CURRENT),
        "project": project,
        "project_code": project.code if project else project_code[:100],
        "opencoesione_url": project.opencoesione_url if project else "",
        "team": team,
        "created_by": by,
        "status": ReportStatus.DRAFT,
        "author_name": team.name,
        "handle": team.handle,
        "latitude": lat,
        "longitude": lon,
    }
    answers = {}
    if project and project.summary:
        answers = clean_answers(CURRENT, {"attivita": project.summary[:20000]})
    return report_create(fields=fields, answers=answers, actor=by, action="report.created")


def report_draft_save(
    *,
    report: Report,
    by: Any,
    fields: dict[str, Any],
    raw_answers: dict[str, Any],
    expected_lock_version: int,
    steps: tuple[int, ...] = (1, 2),
    links: dict[str, Any] | None = None,
) -> Report:
    """Save the answers of `steps` (a page of the form) of a draft or a report sent back.

    Answers of the other steps are kept as stored.
    A stale `expected_lock_version` (someone saved in between) raises ConcurrentEditError and
    writes nothing: the caller shows the user their own input again.
    """
    require(by, "report.edit", report)
    clean = clean_author_fields(fields)
    answers = merged_answers(report, raw_answers, steps=steps)
    clean_link_map = clean_links(links or {})
    with transaction.atomic():
        conditional_update(
            report,
            expected_lock_version=expected_lock_version,
            expected={"status": report.status},
            changes={**clean, "updated_at": timezone.now()},
        )
        report_save_answers(report=report, answers=answers)
        _save_links(report, clean_link_map)
        log_action(report, action="report.draft_saved", actor=by, data={"lock_version": report.lock_version})
    return report


def impact_save(
    *, report: Report, by: Any, raw_answers: dict[str, Any], expected_lock_version: int
) -> Report:
    """Save Step 3 (results and impact) of a published report; it stays private until reviewed."""
    require(by, "impact.edit", report)
    answers = merged_answers(report, raw_answers, steps=(3,))
    current = report.impact_status
    target = ImpactStatus.DRAFT if current == ImpactStatus.NOT_STARTED else current
    with transaction.atomic():
        conditional_update(
            report,
            expected_lock_version=expected_lock_version,
            expected={"status": ReportStatus.PUBLISHED, "impact_status": current},
            changes={"impact_status": target, "updated_at": timezone.now()},
        )
        report_save_answers(report=report, answers=answers)
        log_action(report, action="impact.draft_saved", actor=by, data={"lock_version": report.lock_version})
    return report


def report_delete(*, report: Report, by: Any) -> None:
    require(by, "report.delete", report)
    with transaction.atomic():
        log_action(
            report, action="report.deleted", actor=by, data={"status": report.status, "title": report.title}
        )
        report.delete()
