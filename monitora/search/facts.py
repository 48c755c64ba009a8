"""Derive the facet values and text of one report: territory, harmonised judgements, theme, year.

Everything is read defensively: a report may have no project, a project no territories, a snapshot
any of the key spellings below (our own, the OpenCoesione API's, the OpenCoesione CSV's).
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from monitora.reports.authorship import public_author_name, public_team_name
from monitora.reports.models import Answer, Report

from . import geo

SNAPSHOT_STATE = ("state", "oc_stato_progetto", "OC_STATO_PROGETTO", "stato_progetto")
SNAPSHOT_THEME = (
    ("theme_code", "theme"),
    ("oc_cod_tema_sintetico", "oc_tema_sintetico"),
    ("OC_COD_TEMA_SINTETICO", "OC_TEMA_SINTETICO"),
)
SNAPSHOT_CYCLE = (
    ("cycle_code", "cycle"),
    ("oc_cod_ciclo", "oc_descr_ciclo"),
    ("OC_COD_CICLO", "OC_DESCR_CICLO"),
)
SNAPSHOT_TITLE = ("title", "oc_titolo_progetto", "OC_TITOLO_PROGETTO")
SNAPSHOT_REGION = ("region", "regione", "DEN_REGIONE", "den_regione")
SNAPSHOT_PROVINCE = ("province", "provincia", "DEN_PROVINCIA", "den_provincia")


@dataclass
class Territories:
    """Candidate places of a project: ISTAT codes of regions, provinces and comuni."""

    regions: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    comuni: list[str] = field(default_factory=list)
    points: dict[str, tuple[float, float]] = field(default_factory=dict)

    def add(self, kind: str, code: object, name: str = "") -> str:
        """Record a place; returns its ISTAT code ("" when neither the code nor the name is known)."""
        kind = {"R": "region", "P": "province", "C": "comune"}.get(str(kind).upper()[:1], "")
        if not kind:
            return ""
        table = {"region": geo.regions, "province": geo.provinces, "comune": geo.comuni}[kind]()
        padded = geo.normalise_code(kind, code)
        if padded not in table and name:
            padded = geo.code_for_name(kind, name)
        if not padded:
            return ""
        if kind == "comune" and padded in geo.comuni():
            place = geo.comuni()[padded]
            self.comuni.append(padded)
            self.provinces.append(place.province)
            self.regions.append(place.region)
        elif kind == "province" and padded in geo.provinces():
            self.provinces.append(padded)
            self.regions.append(geo.provinces()[padded].region)
        elif kind == "region" and padded in geo.regions():
            self.regions.append(padded)
        return padded

    def __bool__(self) -> bool:
        return bool(self.regions)


def _first(data: dict, keys: tuple[str, ...]) -> str:
    for key in keys:
        value = data.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _pair(data: dict, keys: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    for code_key, name_key in keys:
        code, name = _first(data, (code_key,)), _first(data, (name_key,))
        if code or name:
            return code, name
    return "", ""


def _project_territories(report: Report) -> Territories:
    found = Territories()
    if report.project_id:
        for territory in report.project.territories.all():
            code = found.add(territory.kind, territory.code, territory.name)
            if territory.kind == "C" and territory.latitude is not None and territory.longitude is not None:
                found.points[code] = (territory.latitude, territory.longitude)
    return found


def _snapshot_territories(snapshot: dict) -> Territories:
    found = Territories()
    for item in snapshot.get("territories") or []:
        if isinstance(item, dict):
            found.add(item.get("kind", ""), item.get("code", ""), str(item.get("name", "")))
    for item in snapshot.get("territori") or []:
        if not isinstance(item, dict):
            continue
        kind = str(item.get("tipo", "")).upper()
        code = {"C": item.get("cod_com"), "P": item.get("cod_prov"), "R": item.get("cod_reg")}.get(kind)
        found.add(kind, code if code is not None else "", str(item.get("denominazione", "")))
    if not found:
        found.add("P", "", _first(snapshot, SNAPSHOT_PROVINCE))
    if not found:
        found.add("R", "", _first(snapshot, SNAPSHOT_REGION))
    return found


def _most_common(codes: list[str]) -> str:
    if not codes:
        return ""
    counts = Counter(codes)
    return min(counts, key=lambda code: (-counts[code], code))


def locate(report: Report) -> dict[str, Any]:
    """Region, province and a map point: the authors' pin first, then the project's territories."""
    snapshot = report.project_snapshot if isinstance(report.project_snapshot, dict) else {}
    out: dict[str, Any] = {"region": "", "province": "", "latitude": None, "longitude": None}
    out["location_precision"] = ""
    pin = None
    if report.latitude is not None and report.longitude is not None:
        pin = geo.nearest_comune(report.latitude, report.longitude)
        out.update(latitude=report.latitude, longitude=report.longitude, location_precision="report")
    if pin:
        out.update(region=pin.region, province=pin.province)
        return out
    found = _project_territories(report) or _snapshot_territories(snapshot)
    region = _most_common(found.regions)
    provinces = {p for p in found.provinces if geo.provinces()[p].region == region}
    comuni = {c for c in found.comuni if geo.comuni()[c].region == region}
    out["region"] = region
    out["province"] = provinces.pop() if len(provinces) == 1 else ""
    if out["location_precision"]:
        return out
    if len(comuni) == 1:
        code = comuni.pop()
        place = geo.comuni()[code]
        lat, lon = found.points.get(code, (place.latitude, place.longitude))
        out.update(latitude=lat, longitude=lon, location_precision="municipality")
    elif out["province"]:
        place = geo.provinces()[out["province"]]
        out.update(latitude=place.latitude, longitude=place.longitude, location_precision="province")
    elif region:
        place = geo.regions()[region]
        out.update(latitude=place.latitude, longitude=place.longitude, location_precision="region")
    return out


# The judgements of every questionnaire version on the v2022 scales: one rule, used by the index
# (search, map, statistics, API, feeds, open data) and by the project-links CSV. Why each mapping
# holds is in docs/search-and-statistics.md ("Judgements across questionnaire versions").
# giudizio_sintetico: 1 Appena iniziato, 2 In corso e procede bene, 3 Procede con difficoltà,
# 4 Bloccato, 5 Concluso e utile, 6 Concluso e inefficace -> stato_di_avanzamento.
PROGRESS_FROM_OVERALL = {"1": "1", "2": "3", "3": "4", "4": "5", "5": "6", "6": "6"}
# valutazione_risultati: 1 dannoso, 2 inutile, 3 utile con problemi, 4 molto utile, 5 non valutabile -> gs.
EFFECTIVENESS_FROM_RESULTS = {"1": "3", "2": "3", "3": "2", "4": "1", "5": "4"}
# giudizio_sintetico where it is a judgement of effectiveness: "Concluso e utile" -> Efficace,
# "Concluso e inefficace" -> Inefficace, "Appena iniziato" (its help text: too early to judge) ->
# Efficacia non valutabile. "In corso", "Procede con difficoltà" and "Bloccato" judge progress only.
EFFECTIVENESS_FROM_OVERALL = {"1": "4", "5": "1", "6": "3"}


def harmonised_judgements(codes: dict[str, str]) -> dict[str, str]:
    """Progress, effectiveness and overall judgement on the v2022 scales, from answer codes by key.

    The version's own question wins: `gs` and `stato_di_avanzamento` (v2022), then the 2019 results
    judgement, then the overall judgement of the legacy and 2019 forms.
    """
    overall = codes.get("giudizio_sintetico") or ""
    progress = codes.get("stato_di_avanzamento") or PROGRESS_FROM_OVERALL.get(overall, "")
    effectiveness = (
        codes.get("gs")
        or EFFECTIVENESS_FROM_RESULTS.get(codes.get("valutazione_risultati") or "", "")
        or EFFECTIVENESS_FROM_OVERALL.get(overall, "")
    )
    return {"progress": progress, "effectiveness": effectiveness, "overall": overall}


def judgements(answers: dict[str, Answer]) -> dict[str, str]:
    """`harmonised_judgements` of a report's answers (Answer rows by question key)."""
    return harmonised_judgements(
        {key: answer.option.code for key, answer in answers.items() if answer.option_id}
    )


def catalogue_facts(report: Report) -> dict[str, str]:
    snapshot = report.project_snapshot if isinstance(report.project_snapshot, dict) else {}
    project = report.project if report.project_id else None
    theme_code, theme = (project.theme_code, project.theme) if project else ("", "")
    if not (theme_code or theme):
        theme_code, theme = _pair(snapshot, SNAPSHOT_THEME)
    cycle_code, cycle = (project.cycle_code, project.cycle) if project else ("", "")
    if not (cycle_code or cycle):
        cycle_code, cycle = _pair(snapshot, SNAPSHOT_CYCLE)
    return {
        "theme": (slugify(theme_code) or slugify(theme))[:100],
        "theme_name": (theme or theme_code)[:200],
        "cycle": (slugify(cycle_code) or slugify(cycle))[:100],
        "cycle_name": (cycle or cycle_code)[:200],
        "official_state": _first(snapshot, SNAPSHOT_STATE)[:100],
    }


def report_year(report: Report) -> int | None:
    moment = report.submitted_at or report.published_at or report.created_at
    return timezone.localtime(moment).year if moment else None


def report_text(report: Report, answers: dict[str, Answer], place_names: list[str]) -> tuple[str, str]:
    """Title and body to index: the report's own words plus what people search it by."""
    snapshot = report.project_snapshot if isinstance(report.project_snapshot, dict) else {}
    project = report.project if report.project_id else None
    parts = [
        public_author_name(report),  # searching by an e-mail address must not find its report
        public_team_name(report.team) if report.team_id else "",
        report.project_code,
        project.code if project else "",
        project.cup if project else "",
        project.title if project else _first(snapshot, SNAPSHOT_TITLE),
        *place_names,
    ]
    parts.extend(a.text for a in answers.values() if a.text)
    return report.title, "\n".join(p for p in parts if p)
