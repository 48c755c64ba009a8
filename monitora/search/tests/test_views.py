import json

import pytest
from django.test import override_settings
from django.urls import reverse

from monitora.reports.models import ReportStatus

from .helpers import CASERTA, make_report

pytestmark = pytest.mark.django_db

SEARCH = "/cerca/"
POINTS = "/cerca/mappa.geojson"
REGIONS = "/cerca/regioni.geojson"


@pytest.fixture
def reports():
    return {
        "published": make_report(title="Scuola pubblicata", answers={"gs": "1"}, **CASERTA),
        "draft": make_report(title="Scuola in bozza", status=ReportStatus.DRAFT, **CASERTA),
        "submitted": make_report(title="Scuola inviata", status=ReportStatus.SUBMITTED, **CASERTA),
        "rejected": make_report(title="Scuola respinta", status=ReportStatus.REJECTED, **CASERTA),
    }


def test_urls():
    assert reverse("search:reports") == SEARCH
    assert reverse("search:map_points") == POINTS
    assert reverse("search:map_regions") == REGIONS


def test_search_page_lists_only_published_reports(client, reports):
    response = client.get(SEARCH, {"q": "scuola"})
    assert response.status_code == 200
    assert "Scuola pubblicata" in response.text
    for hidden in ("bozza", "inviata", "respinta"):
        assert f"Scuola {hidden}" not in response.text
    assert "1 report trovato" in response.text
    assert 'id="report-map"' in response.text


def test_htmx_request_gets_only_the_results_fragment(client, reports):
    response = client.get(SEARCH, {"regione": "15"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="search-body"')
    assert "<html" not in response.text
    assert 'name="regione" value="15" checked' in response.text


def test_user_text_is_escaped(client):
    make_report(title="<script>alert('x')</script> scuola")
    response = client.get(SEARCH, {"q": "<script>"})
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.parametrize(
    "query, message",
    [
        ("colore=rosso", "Parametro sconosciuto «colore»"),
        ("regione=%27%3B+DROP", "Valore non valido per il filtro «regione»"),
        ("ordine=password", "Ordinamento sconosciuto"),
        ("pagina=abc", "«pagina» deve essere un numero intero positivo"),
        ("pagina=-1", "«pagina» deve essere un numero intero positivo"),
        ("pagina=99999999999999999999999", "«pagina» deve essere un numero intero positivo"),
        ("pagina=50000", "Numero di pagina troppo alto"),
        ("per_pagina=0", "«per_pagina» deve essere un numero intero positivo"),
        ("q=a&q=b", "«q» compare più di una volta"),
        ("q=" + "x" * 300, "troppo lunga"),
        ("q=" + "+".join(f"w{i}" for i in range(20)), "Troppe parole"),
        ("anno=2024&anno=abc", "Valore non valido per il filtro «anno»"),
    ],
)
def test_bad_input_gets_400_with_a_clear_message(client, reports, query, message):
    response = client.get(f"{SEARCH}?{query}")
    assert response.status_code == 400
    assert message in response.text
    geo = client.get(f"{POINTS}?{query}")
    if "pagina" in query or "ordine" in query:
        # Paging and sorting are not map parameters at all.
        assert geo.status_code == 400 and "Parametro sconosciuto" in geo.json()["error"]
    else:
        assert geo.status_code == 400 and message in geo.json()["error"]


@pytest.mark.parametrize(
    "q", ['"', "*", ":", "&", "|", "!", "(", ")", "NEAR(scuola pubblicata)", 'scuola" OR "x', "a:b*", "\x00"]
)
def test_full_text_syntax_never_gives_500(client, reports, q):
    assert client.get(SEARCH, {"q": q}).status_code == 200
    assert client.get(POINTS, {"q": q}).status_code == 200


def test_huge_valid_page_is_an_empty_page_with_a_message(client, reports):
    response = client.get(SEARCH, {"pagina": "9999"})
    assert response.status_code == 200
    assert "Questa pagina non esiste" in response.text


def test_page_size_is_capped(client, reports):
    assert client.get(SEARCH, {"per_pagina": "100000"}).status_code == 200


def test_post_is_not_allowed(client):
    assert client.post(SEARCH).status_code == 405


def test_map_geojson_is_compact_filtered_and_gated(client, reports):
    response = client.get(POINTS, {"efficacia": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["truncated"] is False
    assert [f["properties"] for f in data["features"]] == [
        {"id": reports["published"].pk, "t": "Scuola pubblicata", "j": "1", "p": "report"}
    ]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [14.3264, 41.0728]}
    assert client.get(POINTS, {"efficacia": "3"}).json()["features"] == []


def test_regions_layer_counts_only_published(client, reports):
    data = client.get(REGIONS).json()
    counts = {f["properties"]["name"]: f["properties"]["count"] for f in data["features"]}
    assert len(counts) == 20
    assert counts["Campania"] == 1
    assert sum(counts.values()) == 1
    assert data["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


@override_settings(MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
def test_tile_server_is_configurable(client):
    response = client.get(SEARCH)
    config = json.loads(
        response.text.split('id="map-config" type="application/json">')[1].split("</script>")[0]
    )
    assert config["tileUrl"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert config["reportUrl"] == "/report/{id}/"


def test_english_interface(client, reports):
    response = client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Search civic monitoring reports" in response.text
    assert "Effective" in response.text
    error = client.get(POINTS, {"colore": "rosso"}, HTTP_ACCEPT_LANGUAGE="en")
    assert error.json()["error"].startswith("Unknown parameter “colore”")
    stats = client.get("/statistiche/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Statistics of published reports" in stats.text


def test_thousands_of_parameters_are_refused_not_crashed(client):
    query = "&".join(["regione=01"] * 1500)
    assert client.get(f"{SEARCH}?{query}").status_code == 400
    assert client.get(f"{POINTS}?{query}").status_code == 400


@pytest.mark.parametrize(
    "raw, status",
    [
        ("q=%FF%FE", 200),
        ("q=%00%00", 200),
        ("q=%E2%80%AE", 200),
        ("q=caf%C3%A9%CC%81", 200),
        ("regione=%FF", 400),
    ],
)
def test_odd_bytes_in_the_query_string(client, reports, raw, status):
    assert client.get(f"{SEARCH}?{raw}").status_code == status
    assert client.get(f"{POINTS}?{raw}").status_code == status


def test_query_count_does_not_grow_with_the_number_of_reports(client, django_assert_max_num_queries):
    for n in range(30):
        make_report(title=f"Scuola {n}", answers={"gs": str(n % 4 + 1)}, **CASERTA)
    # The total, every facet's counts and the page of results in one query (was 11 queries).
    with django_assert_max_num_queries(1):
        assert client.get(SEARCH, {"q": "scuola", "per_pagina": "30"}).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(SEARCH, {"q": "scuola", "efficacia": ["1", "2"], "anno": "2024"}).status_code == 200
    with django_assert_max_num_queries(1):
        assert len(client.get(POINTS).json()["features"]) == 30
    with django_assert_max_num_queries(1):
        assert client.get(REGIONS).status_code == 200
