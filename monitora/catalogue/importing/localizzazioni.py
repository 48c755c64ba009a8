"""The `localizzazioni` file: one row per project x place, 3-digit ISTAT codes per level (un-padded
in some extracts). Yields (project code, territory id) for the place and its parents."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from .columns import ImportFileError
from .source import open_source, read_header
from .territories import EMPTY_SUFFIXES, TerritoryResolver

REQUIRED = ("COD_LOCALE_PROGETTO", "COD_REGIONE", "COD_PROVINCIA", "COD_COMUNE")


def _empty(code: str) -> bool:
    return not code or code.zfill(3) in EMPTY_SUFFIXES or set(code) == {"0"}


def iter_places(path: Path, resolver: TerritoryResolver, stats: dict) -> Iterator[tuple[str, int]]:
    with open_source(path) as (source, stream):
        header, delimiter = read_header(stream)
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ImportFileError(f"{path.name}: colonne obbligatorie mancanti: {', '.join(missing)}")
        at = {name: header.index(name) for name in REQUIRED}
        for values in csv.reader(io.TextIOWrapper(stream, encoding="utf-8", newline=""), delimiter=delimiter):
            if not values or len(values) < len(header):
                continue
            stats["rows"] += 1
            code = values[at["COD_LOCALE_PROGETTO"]].strip()
            region, province, comune = (values[at[c]].strip() for c in REQUIRED[1:])
            ids: set[int] = set()
            if (
                not _empty(comune)
                and not _empty(province)
                and (found := resolver.comune(province.zfill(3) + comune.zfill(3)))
            ):
                ids.update(found)
            elif not _empty(province) and (found := resolver.provinces.get(province.zfill(3))):
                ids.update(found)
            elif region.isdigit() and len(region) <= 2 and (found := resolver.regions.get(region.zfill(2))):
                ids.add(found)
            if not ids:
                stats["unresolved_places"] += 1
            for territory_id in ids:
                if territory_id:
                    yield code, territory_id
        stats["sha256"] = source.sha256()
