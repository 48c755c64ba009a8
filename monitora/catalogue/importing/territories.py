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
    """Upsert regions, provinces and comuni (ISTAT 2023) with a point inside each. Idempotent.

    Region and province points are the mean of their comuni's points (good enough for a map pin).
    """
    with open(comuni_file, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts = {"created": 0, "updated": 0}
    fields = ("name", "parent_id", "latitude", "longitude", "abbreviation")

    def sync(kind: str, wanted: dict[str, dict]) -> dict[str, int]:
        existing = {t.code: t for t in Territory.objects.filter(kind=kind)}
        new = [
            Territory(kind=kind, code=code, **values)
            for code, values in wanted.items()
            if code not in existing
        ]
        changed = []
        for code, values in wanted.items():
            obj = existing.get(code)
            if obj is not None and any(getattr(obj, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(obj, k, v)
                changed.append(obj)
        Territory.objects.bulk_create(new, batch_size=1000)
        Territory.objects.bulk_update(changed, fields, batch_size=1000)
        counts["created"] += len(new)
        counts["updated"] += len(changed)
        return dict(Territory.objects.filter(kind=kind).values_list("code", "id"))

    def point(items: list[dict]) -> dict[str, float]:
        return {
            "latitude": _mean([float(i["point_on_surface_lat"]) for i in items]),
            "longitude": _mean([float(i["point_on_surface_lon"]) for i in items]),
        }

    by_region: dict[str, list] = {}
    by_province: dict[str, list] = {}
    for r in rows:
        by_region.setdefault(r["codice_regione"], []).append(r)
        by_province.setdefault(r["codice_provincia"], []).append(r)
    with transaction.atomic():
        regions = sync(
            Territory.Kind.REGION,
            {
                code: {"name": items[0]["regione"], "parent_id": None, "abbreviation": "", **point(items)}
                for code, items in by_region.items()
            },
        )
        provinces = sync(
            Territory.Kind.PROVINCE,
            {
                code: {
                    "name": items[0]["provincia"],
                    "parent_id": regions[items[0]["codice_regione"]],
                    "abbreviation": items[0]["sigla_provincia"],
                    **point(items),
                }
                for code, items in by_province.items()
            },
        )
        sync(
            Territory.Kind.MUNICIPALITY,
            {
                r["codice_istat_comune"]: {
                    "name": r["comune"],
                    "parent_id": provinces[r["codice_provincia"]],
                    "abbreviation": "",
                    **point([r]),
                }
                for r in rows
            },
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
