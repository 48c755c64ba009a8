"""Italian regions, provinces and comuni shipped in `data/` (see data/README.md), read once.

Used at index time to place a report in a region/province when the catalogue gives no territory,
and by the map to draw regions without any network.
"""

import csv
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .text import words

# Farther than this from every comune centroid, a point is not in Italy (or is wrong).
MAX_NEAREST_KM = 40.0


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    province: str
    region: str
    latitude: float | None = None
    longitude: float | None = None


def _data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data"


@lru_cache(maxsize=1)
def regions_geojson() -> dict:
    with (_data_dir() / "geo" / "regioni-2023.geojson").open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def regions() -> dict[str, Place]:
    out = {}
    for feature in regions_geojson()["features"]:
        p = feature["properties"]
        out[p["code"]] = Place(p["code"], p["name"], "", p["code"], p["lat"], p["lon"])
    return out


@lru_cache(maxsize=1)
def comuni() -> dict[str, Place]:
    out = {}
    with (_data_dir() / "territori" / "comuni-2023-centroidi.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[row["codice_istat_comune"]] = Place(
                row["codice_istat_comune"],
                row["comune"],
                row["codice_provincia"],
                row["codice_regione"],
                float(row["point_on_surface_lat"]),
                float(row["point_on_surface_lon"]),
            )
    return out


@lru_cache(maxsize=1)
def provinces() -> dict[str, Place]:
    points: dict[str, list[tuple[float, float]]] = {}
    for place in comuni().values():
        points.setdefault(place.province, []).append((place.latitude, place.longitude))
    out = {}
    with (_data_dir() / "geo" / "province-2023.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["codice_provincia"]
            pts = points.get(code) or [(None, None)]
            lat = sum(p[0] for p in pts) / len(pts) if pts[0][0] is not None else None
            lon = sum(p[1] for p in pts) / len(pts) if pts[0][1] is not None else None
            out[code] = Place(code, row["provincia"], code, row["codice_regione"], lat, lon)
    return out


def _key(name: str) -> str:
    return " ".join(words(name))


def _index(places: dict[str, Place]) -> dict[str, str]:
    out = {}
    for code, place in places.items():
        # Bilingual names ("Bolzano/Bozen") are found by either part.
        for name in [place.name, *place.name.split("/")]:
            out.setdefault(_key(name), code)
    return out


@lru_cache(maxsize=1)
def _names() -> dict[str, dict[str, str]]:
    return {"region": _index(regions()), "province": _index(provinces()), "comune": _index(comuni())}


def code_for_name(kind: str, name: str) -> str:
    """Region/province/comune code of an Italian name, ignoring case, accents, hyphens ("" if unknown)."""
    return _names()[kind].get(_key(name), "")


def normalise_code(kind: str, code: object) -> str:
    """ISTAT codes arrive un-padded (OpenCoesione API: cod_reg 15, cod_com 61022): pad them."""
    digits = str(code).strip()
    if not digits.isdigit():
        return ""
    width = {"region": 2, "province": 3, "comune": 6}[kind]
    return digits.zfill(width)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular approximation: exact enough at the scale of a country.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


@lru_cache(maxsize=1)
def _grid() -> dict[tuple[int, int], list[Place]]:
    grid: dict[tuple[int, int], list[Place]] = {}
    for place in comuni().values():
        grid.setdefault((int(place.latitude * 2), int(place.longitude * 2)), []).append(place)
    return grid


def nearest_comune(latitude: float, longitude: float) -> Place | None:
    """The comune whose centroid is nearest (a half-degree grid keeps this to a few hundred points)."""
    grid = _grid()
    row, col = int(latitude * 2), int(longitude * 2)
    candidates = [p for dr in (-1, 0, 1) for dc in (-1, 0, 1) for p in grid.get((row + dr, col + dc), [])]
    if not candidates:
        return None
    best = min(candidates, key=lambda p: _km(latitude, longitude, p.latitude, p.longitude))
    if _km(latitude, longitude, best.latitude, best.longitude) > MAX_NEAREST_KM:
        return None
    return best
