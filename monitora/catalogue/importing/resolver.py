"""Resolving OpenCoesione territory codes (or names) to Territory ids. No Django: runs in workers."""

import unicodedata
from dataclasses import dataclass, field

REGION, PROVINCE, MUNICIPALITY = "R", "P", "C"
EMPTY_SUFFIXES = ("000", "900")


def fold(name: str) -> str:
    """Comparable form of a place name: no accents, case, punctuation; bilingual names cut at '/'."""
    name = name.split("/")[0]
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


@dataclass
class TerritoryResolver:
    """Maps OpenCoesione territory codes (or names) to Territory ids, parents included.

    Picklable (plain dicts) so that worker processes can resolve while parsing.
    """

    regions: dict[str, int] = field(default_factory=dict)  # "01" -> id
    provinces: dict[str, tuple[int, int]] = field(default_factory=dict)  # "001" -> (id, region id)
    comuni: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # "001001" -> (id, prov, reg)
    changes: dict[str, str] = field(default_factory=dict)  # old ISTAT comune code -> current
    region_names: dict[str, int] = field(default_factory=dict)
    comune_names: dict[tuple[str, str], tuple] = field(default_factory=dict)  # (province, comune) -> ids

    @classmethod
    def build(cls, items: list[tuple], changes: list[tuple[str, str]]) -> "TerritoryResolver":
        """`items`: (id, kind, code, name, parent id) of every territory; `changes`: (old, new) codes."""
        resolver = cls()
        parents = {pk: parent for pk, _kind, _code, _name, parent in items}
        names = {pk: name for pk, _kind, _code, name, _parent in items}
        for pk, kind, code, name, parent in items:
            if kind == REGION:
                resolver.regions[code] = pk
                resolver.region_names[fold(name)] = pk
            elif kind == PROVINCE:
                resolver.provinces[code] = (pk, parent)
            elif kind == MUNICIPALITY:
                resolver.comuni[code] = (pk, parent, parents.get(parent))
                resolver.comune_names[(fold(names.get(parent, "")), fold(name))] = resolver.comuni[code]
        for old, new in changes:
            old, new = old.zfill(6), new.zfill(6)
            if old != new and new in resolver.comuni:
                resolver.changes[old] = new
        return resolver

    def comune(self, istat6: str) -> tuple[int, int, int] | None:
        istat6 = istat6.zfill(6)
        return self.comuni.get(istat6) or self.comuni.get(self.changes.get(istat6, ""))

    def resolve(self, **places: str) -> list[int]:
        """Ids of the comuni, provinces and regions of a progetti row (`:::` lists of codes)."""
        ids: set[int] = set()
        for token in places.get("comune_codes", "").split(":::"):
            token = token.strip()
            if len(token) >= 6 and token[-3:] not in EMPTY_SUFFIXES and (found := self.comune(token[-6:])):
                ids.update(found)
        for token in places.get("province_codes", "").split(":::"):
            token = token.strip()
            if token and (found := self.provinces.get(token[-3:].zfill(3))):
                ids.update(found)
        for token in places.get("region_codes", "").split(":::"):
            token = token.strip()
            if token and (found := self.regions.get(token[-2:].zfill(2))):
                ids.add(found)
        if not ids and (places.get("comune_names") or places.get("region_names")):
            ids = self._by_name(places)
        return sorted(i for i in ids if i)

    def _by_name(self, places: dict[str, str]) -> set[int]:
        ids: set[int] = set()
        provinces = places.get("province_names", "").split(":::")
        for i, comune in enumerate(places.get("comune_names", "").split(":::")):
            province = provinces[i] if i < len(provinces) else provinces[-1]
            ids.update(self.comune_names.get((fold(province), fold(comune)), ()))
        for region in places.get("region_names", "").split(":::"):
            if pk := self.region_names.get(fold(region)):
                ids.add(pk)
        return ids
