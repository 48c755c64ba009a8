"""Validation of what authors send: the settable report columns, links and answers of a step."""

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from monitora.catalogue.models import Project
from monitora.core.weburls import clean_web_url
from monitora.questionnaires.definitions import get_spec
from monitora.questionnaires.validation import CleanAnswer, clean_answers

from ..models import Report
from ..selectors import report_raw_answers

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
    """The CUP nature decides which questions apply (works vs purchases)."""
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
                urls.append(clean_web_url(line))
            except ValidationError as exc:
                errors.setdefault(f"links_{kind}", []).append(
                    _("Link non valido: %(url)s") % {"url": line[:200]} + " " + " ".join(exc.messages)
                )
        if len(urls) > MAX_LINKS:
            errors.setdefault(f"links_{kind}", []).append(_("Al massimo %(n)s link.") % {"n": MAX_LINKS})
        clean[kind] = urls
    if errors:
        raise ValidationError(errors)
    return clean


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
