import pytest
from django.urls import reverse

from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def test_search_page_lists_matches_with_facets_and_escapes(client):
    ProjectFactory(code="P1", title="Scuola <b>nuova</b>", theme="Istruzione", public_funding=1000)
    ProjectFactory(code="P2", title="Strada provinciale")
    response = client.get(reverse("catalogue:search"), {"q": "scuole"})
    assert response.status_code == 200
    text = response.text
    assert "Scuola &lt;b&gt;nuova&lt;/b&gt;" in text and "<b>nuova</b>" not in text
    assert "Strada provinciale" not in text
    assert "Istruzione" in text  # facet
    assert reverse("public:project_detail", args=["P1"]) in text


def test_search_page_without_query_and_bad_params(client):
    assert client.get(reverse("catalogue:search")).status_code == 200
    response = client.get(
        reverse("catalogue:search"), {"q": "x", "page": "abc", "min": "mille", "sort": "evil"}
    )
    assert response.status_code == 200


def test_project_page_official_data_places_subjects_and_call_to_action(client):
    region = TerritoryFactory(kind="R", code="01", name="Piemonte", latitude=45.0, longitude=7.9)
    province = TerritoryFactory(kind="P", code="001", name="Torino", parent=region, abbreviation="TO")
    comune = TerritoryFactory(
        kind="C", code="001156", name="Moncalieri", parent=province, latitude=44.99, longitude=7.68
    )
    project = ProjectFactory(
        code="1PBAN/2020 X",
        public_funding=1000,
        payments=250,
        subjects=[
            {"role": "Beneficiario", "name": "UNIONE DEI COMUNI"},
            {"role": "Attuatore", "name": "CISA 12"},
        ],
    )
    project.territories.set([region, province, comune])
    response = client.get(reverse("public:project_detail", args=[project.code]))
    assert response.status_code == 200
    text = response.text
    assert "Moncalieri (TO)" in text and 'data-lat="44.990000"' in text
    assert "UNIONE DEI COMUNI" in text and "Beneficiario" in text and "Attuatore" in text
    assert "25%" in text  # payments vs funding
    assert "/report/nuovo/?progetto=1PBAN%2F2020%20X" in text
    assert "Monitora questo progetto" in text


def test_search_url_is_not_taken_by_the_project_page(client):
    ProjectFactory(code="cerca", title="Un progetto chiamato cerca")
    assert client.get("/progetti/cerca/").templates[0].name == "catalogue/search.html"


def test_search_page_takes_the_api_names_and_refuses_nan_amounts(client, db):
    from monitora.catalogue.views import _amount

    assert _amount("NaN") is None and _amount("Infinity") is None and _amount("1.000,50") == 1000.5
    short = client.get("/progetti/cerca/", {"q": "scuola", "min": "1000", "size": "5"})
    canonical = client.get("/progetti/cerca/", {"q": "scuola", "funding_min": "1000", "page_size": "5"})
    assert short.status_code == canonical.status_code == 200
    assert short.context["result"].page_size == canonical.context["result"].page_size == 5
