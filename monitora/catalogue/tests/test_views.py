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
    response = client.get(reverse("catalogue:search"), {"q": "x", "page": "abc", "sort": "evil"})
    assert response.status_code == 200
    # An amount that is not one is a 400 that says so (it used to be silently ignored).
    response = client.get(reverse("catalogue:search"), {"q": "x", "min": "mille"})
    assert response.status_code == 400 and "«min»" in response.text


def test_search_cache_key_is_the_whole_validated_query(client, page_cache):
    """Issue 16, finding 4: `?q=strada&size=1` made `?q=strada` show one result for 300 s. The
    page cache keys on the whole query string (`core.pagecache.page_key`), so it cannot."""
    for n in range(3):
        ProjectFactory(code=f"S{n}", title=f"Strada comunale {n}")
    titles = [f"Strada comunale {n}" for n in range(3)]
    small = client.get("/progetti/cerca/", {"q": "strada", "size": "1"}).text
    assert sum(title in small for title in titles) == 1
    for _ in range(2):  # the second answer is a cache hit
        assert all(title in client.get("/progetti/cerca/", {"q": "strada"}).text for title in titles)


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
    assert client.get("/progetti/cerca/", {"q": "scuola", "min": "NaN"}).status_code == 400
    assert client.get("/progetti/cerca/", {"q": "scuola", "max": "Infinity"}).status_code == 400
    short = client.get("/progetti/cerca/", {"q": "scuola", "min": "1000", "size": "5"})
    canonical = client.get("/progetti/cerca/", {"q": "scuola", "funding_min": "1000", "page_size": "5"})
    assert short.status_code == canonical.status_code == 200
    assert short.context["result"].page_size == canonical.context["result"].page_size == 5
