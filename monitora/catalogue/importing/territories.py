"""Territories: loading the shipped ISTAT data and resolving OpenCoesione codes and names to ids."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from monitora.catalogue.models import Territory

from .resolver import TerritoryResolver

DATA_DIR = Path(settings.BASE_DIR) / "data" / "territori"
COMUNI_FILE = DATA_DIR / "comuni-2023-centroidi.csv"
CHANGES_FILE = DATA_DIR / "variazioni-comuni.csv"


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 6)


def territories_load(*, comuni_file: Path = COMUNI_FILE) -> dict[str, int]:
    """Upsert regions, provinces and comuni (ISTAT 2023) with a point inside each. Idempotent."""
    with open(comuni_file, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts = {"created": 0, "updated": 0}
    existing = {(t.kind, t.code): t for t in Territory.objects.all()}

    def upsert(kind, code, name, parent, lat, lon, abbreviation=""):
        values = {"name": name, "parent": parent, "latitude": lat, "longitude": lon, "abbreviation": abbreviation}
        obj = existing.get((kind, code))
        if obj is None:
            obj = Territory.objects.create(kind=kind, code=code, **values)
            existing[(kind, code)] = obj
            counts["created"] += 1
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            counts["updated"] += 1
        return obj

    with transaction.atomic():
        by_region: dict[str, list] = {}
        by_province: dict[str, list] = {}
        for r in rows:
            by_region.setdefault(r["codice_regione"], []).append(r)
            by_province.setdefault(r["codice_provincia"], []).append(r)
        regions = {}
        for code, items in sorted(by_region.items()):
            name = items[0]["regione"]
            lats = [float(i["point_on_surface_lat"]) for i in items]
            lons = [float(i["point_on_surface_lon"]) for i in items]
            regions[code] = upsert(Territory.Kind.REGION, code, name, None, _mean(lats), _mean(lons))
        provinces = {}
        for code, items in sorted(by_province.items()):
            first = items[0]
            lats = [float(i["point_on_surface_lat"]) for i in items]
            lons = [float(i["point_on_surface_lon"]) for i in items]
            provinces[code] = upsert(
                Territory.Kind.PROVINCE, code, first["provincia"], regions[first["codice_regione"]],
                _mean(lats), _mean(lons), first["sigla_provincia"],
            )
        for r in rows:
            upsert(
                Territory.Kind.MUNICIPALITY, r["codice_istat_comune"], r["comune"], provinces[r["codice_provincia"]],
                float(r["point_on_surface_lat"]), float(r["point_on_surface_lon"]),
            )
    return counts




def territory_resolver(*, changes_file: Path = CHANGES_FILE) -> TerritoryResolver:
    """A resolver over the territories in the database, with ISTAT code changes applied."""
    items = Territory.objects.values_list("id", "kind", "code", "name", "parent_id")
    changes = []
    if changes_file.exists():
        with open(changes_file, encoding="utf-8", newline="") as fh:
            changes = [(r["id_old"], r["id_new"]) for r in csv.DictReader(fh, delimiter=";")]
    return TerritoryResolver.build(list(items), changes)
