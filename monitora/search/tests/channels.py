"""Ask one question through every public channel and read back report ids and counts.

Each function takes canonical filters ({"effectiveness": "1"}); the HTML pages are asked with
their Italian aliases (`efficacia=1`), as people's bookmarks do.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from monitora.search.filters import CANONICAL_TO_ALIAS

API = "/api/v1"
ATOM = "{http://www.w3.org/2005/Atom}"
REPORT_PATH = re.compile(r"/report/(\d+)/")
HTML_CARD = re.compile(r'<li class="report-card">\s*<h3><a href="/report/(\d+)/"')
REPORT_FILES = ("reports.csv", "reports-semicolon.csv", "reports.json", "reports.geojson")
LINK_FILES = ("opencoesione-links.csv", "opencoesione-links.json")


def html_params(filters: dict[str, str]) -> dict[str, str]:
    return {CANONICAL_TO_ALIAS.get(name, name): value for name, value in filters.items()}


def _ok(response):
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response


def html_search(client, filters: dict) -> tuple[set[int], int]:
    response = _ok(client.get(reverse("search:reports"), {**html_params(filters), "per_pagina": 100}))
    ids = {int(i) for i in HTML_CARD.findall(response.text)}
    return ids, response.context["result"].total


def map_points(client, filters: dict) -> set[int]:
    data = _ok(client.get(reverse("search:map_points"), html_params(filters))).json()
    return {feature["properties"]["id"] for feature in data["features"]}


def map_regions(client, filters: dict) -> dict[str, int]:
    data = _ok(client.get(reverse("search:map_regions"), html_params(filters))).json()
    return {
        f["properties"]["code"]: f["properties"]["count"]
        for f in data["features"]
        if f["properties"]["count"]
    }


def _csv(text: str, delimiter: str = ",") -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def stats_csv(client, filters: dict, slug: str) -> dict[str, int]:
    """Label -> count of one statistics table ("Non indicato" left out)."""
    response = _ok(client.get(reverse("stats:csv", args=[slug]), html_params(filters)))
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    return {label: int(count) for label, count in rows if label != "Non indicato" and int(count)}


def api_list(client, filters: dict) -> tuple[set[int], int]:
    data = _ok(client.get(API + "/reports", {**filters, "page_size": 100})).json()
    return {item["id"] for item in data["results"]}, data["count"]


def api_statistics(client, filters: dict) -> dict:
    return _ok(client.get(API + "/statistics", filters)).json()


def feed_url(filters: dict) -> str | None:
    """The feed that asks the same question, when there is one."""
    if not filters:
        return reverse("opendata:feed_all")
    (name, value), *rest = filters.items()
    if name == "theme" and not value.isdigit():
        return None  # the theme feed takes the code only
    routes = {"region": "feed_region", "theme": "feed_theme", "project_code": "feed_project"}
    return reverse(f"opendata:{routes[name]}", args=[value]) if not rest and name in routes else None


def feed(client, url: str) -> set[int]:
    root = ET.fromstring(_ok(client.get(url)).content)  # noqa: S314 - our own feed
    return {
        int(REPORT_PATH.search(entry.find(f"{ATOM}id").text).group(1))
        for entry in root.findall(f"{ATOM}entry")
    }


def _rows(name: str, text: str) -> list[dict]:
    if name.endswith(".geojson"):
        return [feature["properties"] for feature in json.loads(text)["features"]]
    if name.endswith(".json"):
        return json.loads(text)
    return _csv(text, ";" if "semicolon" in name else ",")


def _id(row: dict) -> int:
    return int(row.get("report_id") or row["id_report"])


def open_data(client, filters: dict, name: str) -> set[int]:
    response = _ok(client.get(reverse("opendata:download", args=[name]), filters))
    text = b"".join(response.streaming_content).decode()
    return {_id(row) for row in _rows(name, text)}


def open_data_rows(client, filters: dict) -> dict[int, dict]:
    response = _ok(client.get(reverse("opendata:download", args=["reports.csv"]), filters))
    return {_id(row): row for row in _csv(b"".join(response.streaming_content).decode())}


def datapackage(directory: Path) -> dict[str, set[int]]:
    """Every file the export command writes next to datapackage.json."""
    call_command("export_opendata", str(directory), "--format", "datapackage")
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    return {
        resource["path"]: {
            _id(row) for row in _rows(resource["path"], (directory / resource["path"]).read_text())
        }
        for resource in descriptor["resources"]
    }
