"""The same question through every public channel gets the same reports and the same counts.

Channels: HTML search page, map GeoJSON (points and regions), statistics CSV, API list and
statistics, Atom feeds, every open-data file (CSV, semicolon CSV, JSON, GeoJSON, the OpenCoesione
links, the data package). Named cases are the disagreements issue 11 found.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from monitora.catalogue.models import Territory
from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.reports.models import Report, ReportStatus

from . import channels
from .helpers import make_report

CASERTA = {"latitude": 41.0731, "longitude": 14.3270}


@pytest.fixture
def world(db):
    piemonte = TerritoryFactory(code="01", kind=Territory.Kind.REGION, name="Piemonte")
    province = TerritoryFactory(code="001", kind=Territory.Kind.PROVINCE, name="Torino", parent=piemonte)
    torino = TerritoryFactory(code="001272", name="Torino", parent=province, latitude=45.07, longitude=7.68)
    turin = ProjectFactory(code="TO_CULTURA/1", theme_code="09", theme="Cultura e turismo")
    school = ProjectFactory(code="TO_SCUOLA/2", theme_code="11", theme="Istruzione")
    for project in (turin, school):
        project.territories.add(torino)
    w = SimpleNamespace(turin=turin, school=school)
    # (a) v2019: judged by the results question only ("molto utile ed efficace").
    w.v2019 = make_report(
        version="v2019",
        title="Scuola riaperta",
        project=school,
        project_code=school.code,
        answers={"valutazione_risultati": "4", "giudizio_sintetico": "2"},
    )
    # Legacy: only the overall judgement, "Concluso e utile" (issue 13's "Non indicato").
    w.legacy = make_report(
        version="legacy", title="Palestra della scuola", answers={"giudizio_sintetico": "5"}
    )
    # (b) pinned in Caserta, on a project located in Torino.
    w.pinned = make_report(
        title="Reggia restaurata",
        project=turin,
        project_code=turin.code,
        answers={"stato_di_avanzamento": "4", "gs": "2"},
        **CASERTA,
    )
    # (c) linked to the Turin project only by its code.
    w.code_only = make_report(
        title="Museo chiuso",
        project=None,
        project_code=turin.code,
        answers={"stato_di_avanzamento": "5", "gs": "3"},
    )
    w.turin_v2022 = make_report(
        title="Biblioteca civica",
        project=turin,
        project_code=turin.code,
        answers={"gs": "1", "stato_di_avanzamento": "6"},
    )
    # Indexed while published, then withdrawn without reindexing: no channel may show it.
    w.stale = make_report(title="Scuola segreta", project=turin, project_code=turin.code, answers={"gs": "1"})
    Report.objects.filter(pk=w.stale.pk).update(status=ReportStatus.CHANGES_REQUESTED)
    return w


FILTER_SETS = [
    {},
    {"effectiveness": "1"},
    {"effectiveness": "3"},
    {"progress_state": "6"},
    {"overall_judgement": "5"},
    {"region": "15"},
    {"region": "01"},
    {"province": "061"},
    {"theme": "09"},
    {"theme": "Istruzione"},
    {"project_code": "TO_CULTURA/1"},
    {"questionnaire": "v2022"},
    {"q": "scuola"},
    {"q": "scuola", "effectiveness": "1"},
    {"region": "01", "effectiveness": "1", "year": str(timezone.localdate().year)},
    {"year": "2016"},
]


def ask_everywhere(client, filters: dict) -> dict[str, set[int]]:
    """Report ids per channel (the map only lists located reports: compared apart)."""
    ids, _total = channels.html_search(client, filters)
    out = {"html": ids, "api": channels.api_list(client, filters)[0]}
    for name in channels.REPORT_FILES:
        out[name] = channels.open_data(client, filters, name)
    url = channels.feed_url(filters)
    if url:
        out["feed"] = channels.feed(client, url)
    return out


def counts_everywhere(client, filters: dict) -> dict[str, int]:
    stats = channels.api_statistics(client, filters)
    return {
        "html": channels.html_search(client, filters)[1],
        "api list": channels.api_list(client, filters)[1],
        "api statistics": stats["total"],
        "api statistics by year": sum(row["count"] for row in stats["by_year"]),
        "statistics csv by year": sum(channels.stats_csv(client, filters, "per-anno").values()),
    }


def region_counts_everywhere(client, filters: dict) -> dict[str, dict[str, int]]:
    stats = channels.api_statistics(client, filters)
    names = {row["key"]: row["label"] for row in stats["by_region"]}
    return {
        "map regions": {
            names.get(code, code): n for code, n in channels.map_regions(client, filters).items()
        },
        "api statistics": {row["label"]: row["count"] for row in stats["by_region"]},
        "statistics csv": channels.stats_csv(client, filters, "per-regione"),
    }


@pytest.mark.parametrize(
    "filters", FILTER_SETS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all"
)
def test_every_channel_answers_the_same(client, world, filters):
    answers = ask_everywhere(client, filters)
    expected = answers["html"]
    assert world.stale.pk not in expected
    assert {channel: ids for channel, ids in answers.items() if ids != expected} == {}
    counts = counts_everywhere(client, filters)
    assert set(counts.values()) == {len(expected)}, counts
    regions = region_counts_everywhere(client, filters)
    assert regions["map regions"] == regions["api statistics"] == regions["statistics csv"], regions
    located = {r.pk for r in Report.objects.filter(pk__in=expected) if r.latitude is not None or r.project_id}
    assert channels.map_points(client, filters) == located
    with_code = set(
        Report.objects.filter(pk__in=expected).exclude(project_code="").values_list("pk", flat=True)
    )
    for name in channels.LINK_FILES:
        assert channels.open_data(client, filters, name) == with_code


def test_the_data_package_holds_what_the_downloads_hold(client, world, tmp_path):
    files = channels.datapackage(tmp_path)
    everything = channels.html_search(client, {})[0]
    for name in channels.REPORT_FILES:
        assert files[name] == everything
    with_code = {pk for pk in everything if Report.objects.get(pk=pk).project_code}
    assert files["opencoesione-links.csv"] == with_code


def test_a_v2019_report_judged_effective_is_found_by_efficacia_and_effectiveness(client, world):
    """(a) The HTML `efficacia=1` and the API `effectiveness=1` find it alike, and so does legacy."""
    html = client.get(reverse("search:reports"), {"efficacia": "1"})
    assert f'href="/report/{world.v2019.pk}/"' in html.text
    ids, _count = channels.api_list(client, {"effectiveness": "1"})
    assert {world.v2019.pk, world.legacy.pk} <= ids
    detail = client.get(f"{channels.API}/reports/{world.v2019.pk}").json()
    assert detail["effectiveness"] == {"code": "1", "label": "Efficace"}
    row = channels.open_data_rows(client, {})[world.legacy.pk]
    assert (row["effectiveness"], row["effectiveness_label"]) == ("1", "Efficace")
    links = channels.open_data(client, {"effectiveness": "1"}, "opencoesione-links.csv")
    assert links == {world.v2019.pk, world.turin_v2022.pk}


def test_a_report_pinned_in_caserta_on_a_turin_project_counts_in_campania_everywhere(client, world):
    """(b) The authors' pin wins over the project's place, in every channel."""
    pk = world.pinned.pk
    for channel, ids in ask_everywhere(client, {"region": "15"}).items():
        assert pk in ids, channel
    for channel, ids in ask_everywhere(client, {"region": "01"}).items():
        assert pk not in ids, channel
    regions = region_counts_everywhere(client, {"project_code": world.turin.code})
    assert all(counts.get("Campania") == 1 for counts in regions.values()), regions
    summary = client.get(f"{channels.API}/reports/{pk}").json()
    assert summary["region"] == {"code": "15", "label": "Campania"}
    assert channels.open_data_rows(client, {})[pk]["region_code"] == "15"


def test_a_report_linked_by_code_only_is_one_of_the_projects_reports_everywhere(client, world):
    """(c) Project page, API project endpoints, project feed and the project filter agree."""
    code, pk = world.turin.code, world.code_only.pk
    expected = {world.pinned.pk, world.turin_v2022.pk, pk}
    page = client.get(reverse("public:project_detail", args=[code])).text
    assert {int(i) for i in channels.REPORT_PATH.findall(page)} == expected
    reports = client.get(f"{channels.API}/projects/{code}/reports").json()
    assert {r["id"] for r in reports["results"]} == expected
    detail = client.get(f"{channels.API}/projects/{code}").json()
    assert {r["id"] for r in detail["reports"]} == expected and detail["published_reports"] == 3
    assert channels.feed(client, reverse("opendata:feed_project", args=[code])) == expected
    assert channels.api_list(client, {"project_code": code})[0] == expected
    assert channels.html_search(client, {"project_code": code})[0] == expected
