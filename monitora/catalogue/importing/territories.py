"""Territories: loading the shipped ISTAT data, resolving OpenCoesione codes and names to ids, and
the `localizzazioni` files."""

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from monitora.catalogue.models import Territory

from .columns import ImportFileError
from .source import open_source, read_header

DATA_DIR = Path(settings.BASE_DIR) / "data" / "territori"
COMUNI_FILE = DATA_DIR / "comuni-2023-centroidi.csv"
CHANGES_FILE = DATA_DIR / "variazioni-comuni.csv"
EMPTY_SUFFIXES = ("000", "900")
# Per level: kind, then the columns of its code, name, parent's code and abbreviation.
LEVELS = (
    (Territory.Kind.REGION, "codice_regione", "regione", "", ""),
    (Territory.Kind.PROVINCE, "codice_provincia", "provincia", "codice_regione", "sigla_provincia"),
    (Territory.Kind.MUNICIPALITY, "codice_istat_comune", "comune", "codice_provincia", ""),
)


UPSERT = {"update_conflicts": True, "unique_fields": ["kind", "code"]}
UPSERT["update_fields"] = ["name", "parent", "abbreviation", "latitude", "longitude"]


def _mean(rows: list[dict], column: str) -> float:
    return round(sum(float(row[column]) for row in rows) / len(rows), 6)


def territories_load(*, comuni_file: Path = COMUNI_FILE) -> dict[str, int]:
    """Upsert regions, provinces and comuni (ISTAT 2023) with a point inside each. Idempotent.
    Region and province points are the mean of their comuni's points (good enough for a map pin)."""
    with open(comuni_file, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    before, parents = Territory.objects.count(), {}
    with transaction.atomic():
        for kind, code, name, parent, abbreviation in LEVELS:
            groups: dict[str, list[dict]] = {}
            for row in rows:
                groups.setdefault(row[code], []).append(row)
            territories = [
                Territory(
                    kind=kind,
                    code=key,
                    name=items[0][name],
                    parent_id=parents.get(items[0][parent]) if parent else None,
                    abbreviation=items[0][abbreviation] if abbreviation else "",
                    latitude=_mean(items, "point_on_surface_lat"),
                    longitude=_mean(items, "point_on_surface_lon"),
                )
                for key, items in groups.items()
            ]
            Territory.objects.bulk_create(territories, batch_size=1000, **UPSERT)
            parents = dict(Territory.objects.filter(kind=kind).values_list("code", "id"))
    total = Territory.objects.count()
    return {"created": total - before, "total": total}


def fold(name: str) -> str:
    """Comparable form of a place name: no accents, case, punctuation; bilingual names cut at '/'."""
    decomposed = unicodedata.normalize("NFKD", name.split("/")[0].casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


@dataclass
class TerritoryResolver:
    """Maps OpenCoesione territory codes (or names) to Territory ids, parents included."""

    regions: dict[str, int] = field(default_factory=dict)  # "01" -> id
    provinces: dict[str, tuple[int, int]] = field(default_factory=dict)  # "001" -> (id, region id)
    comuni: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # "001001" -> (id, prov, reg)
    changes: dict[str, str] = field(default_factory=dict)  # old ISTAT comune code -> current
    region_names: dict[str, int] = field(default_factory=dict)
    comune_names: dict[tuple[str, str], tuple] = field(default_factory=dict)  # (province, comune) -> ids

    def comune(self, istat6: str) -> tuple[int, int, int] | None:
        istat6 = istat6.zfill(6)
        return self.comuni.get(istat6) or self.comuni.get(self.changes.get(istat6, ""))

    def resolve(self, **places: str) -> list[int]:
        """Ids of the comuni, provinces and regions of a progetti row (`:::` lists of codes)."""
        ids: set[int] = set()
        codes = {key: [token.strip() for token in value.split(":::")] for key, value in places.items()}
        for token in codes.get("comune_codes", ()):
            if len(token) >= 6 and token[-3:] not in EMPTY_SUFFIXES and (found := self.comune(token[-6:])):
                ids.update(found)
        for token in codes.get("province_codes", ()):
            if token and (found := self.provinces.get(token[-3:].zfill(3))):
                ids.update(found)
        for token in codes.get("region_codes", ()):
            if token and (found := self.regions.get(token[-2:].zfill(2))):
                ids.add(found)
        if not ids and (places.get("comune_names") or places.get("region_names")):
            provinces = places.get("province_names", "").split(":::")
            for i, comune in enumerate(places.get("comune_names", "").split(":::")):
                province = provinces[min(i, len(provinces) - 1)]
                ids.update(self.comune_names.get((fold(province), fold(comune)), ()))
            regions = places.get("region_names", "").split(":::")
            ids.update(self.region_names.get(fold(region)) for region in regions)
        return sorted(i for i in ids if i)


def territory_resolver(*, changes_file: Path = CHANGES_FILE) -> TerritoryResolver:
    """A resolver over the territories in the database, with ISTAT code changes applied."""
    resolver = TerritoryResolver()
    items = list(Territory.objects.values_list("id", "kind", "code", "name", "parent_id"))
    parents = {pk: parent for pk, _kind, _code, _name, parent in items}
    names = {pk: name for pk, _kind, _code, name, _parent in items}
    for pk, kind, code, name, parent in items:
        if kind == Territory.Kind.REGION:
            resolver.regions[code] = pk
            resolver.region_names[fold(name)] = pk
        elif kind == Territory.Kind.PROVINCE:
            resolver.provinces[code] = (pk, parent)
        else:
            resolver.comuni[code] = (pk, parent, parents.get(parent))
            resolver.comune_names[(fold(names.get(parent, "")), fold(name))] = resolver.comuni[code]
    if changes_file.exists():
        with open(changes_file, encoding="utf-8", newline="") as fh:
            for change in csv.DictReader(fh, delimiter=";"):
                old, new = change["id_old"].zfill(6), change["id_new"].zfill(6)
                if old != new and new in resolver.comuni:
                    resolver.changes[old] = new
    return resolver


LOCALIZZAZIONI_COLUMNS = ("COD_LOCALE_PROGETTO", "COD_REGIONE", "COD_PROVINCIA", "COD_COMUNE")


def _empty(code: str) -> bool:
    return not code or code.zfill(3) in EMPTY_SUFFIXES or set(code) == {"0"}


def iter_places(path: Path, resolver: TerritoryResolver, stats: dict) -> Iterator[tuple[str, int]]:
    """(project code, territory id) of a `localizzazioni` file's places and their parents: one row per
    project x place, 3-digit ISTAT codes per level (un-padded in some extracts)."""
    with open_source(path) as (source, stream):
        header, delimiter = read_header(stream)
        missing = [c for c in LOCALIZZAZIONI_COLUMNS if c not in header]
        if missing:
            raise ImportFileError(f"{path.name}: colonne obbligatorie mancanti: {', '.join(missing)}")
        at = [header.index(name) for name in LOCALIZZAZIONI_COLUMNS]
        for values in csv.reader(io.TextIOWrapper(stream, encoding="utf-8", newline=""), delimiter=delimiter):
            if not values or len(values) < len(header):
                continue
            stats["rows"] += 1
            code, region, province, comune = (values[i].strip() for i in at)
            found = (  # the comune, else the province, else the region
                (
                    not _empty(comune)
                    and not _empty(province)
                    and resolver.comune(province.zfill(3) + comune.zfill(3))
                )
                or (not _empty(province) and resolver.provinces.get(province.zfill(3)))
                or (region.isdigit() and len(region) <= 2 and resolver.regions.get(region.zfill(2)))
            )
            ids = set(found) if isinstance(found, tuple) else {found} if found else set()
            stats["unresolved_places"] += not ids
            yield from ((code, territory_id) for territory_id in ids if territory_id)
        stats["sha256"] = source.sha256()
