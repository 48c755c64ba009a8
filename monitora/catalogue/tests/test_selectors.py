from decimal import Decimal

import pytest

from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.selectors import MAX_PAGE_SIZE, project_search
from monitora.catalogue.tests.factories import ProjectFactory

from .conftest import search_sample_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(territories, esteso_file):
    rows = search_sample_rows()
    catalogue_import(paths=[esteso_file(rows)])


def codes(result):
    return [p.code for p in result.results]


def test_words_are_stemmed_and_accents_ignored(catalogue):
    assert sorted(codes(project_search(q="scuole"))) == ["S1", "S2"]
    assert codes(project_search(q="CITTA")) == ["S2"]
    assert codes(project_search(q="bonifiche discariche")) == ["S3"]
    assert project_search(q="ospedale").total == 0


def test_cup_and_code_lookups(catalogue):
    assert codes(project_search(q="j12e20000010001")) == ["S2"]
    assert codes(project_search(q="S3")) == ["S3"]


def test_filters_and_funding_sort(catalogue):
    assert codes(project_search(region="15", sort="-funding")) == ["S1", "S3"]  # unknown funding last
    assert codes(project_search(comune="063049")) == ["S1"]  # Napoli
    assert codes(project_search(province="063")) == ["S1"]
    assert codes(project_search(theme="11")) == ["S2"]
    assert codes(project_search(cycle="3")) == ["S3"]
    assert codes(project_search(state="Concluso")) == ["S3"]
    assert codes(project_search(programme="2014IT05SFOP013")) == ["S2"]
    assert codes(project_search(funding_min=Decimal("600000"))) == ["S2"]
    assert codes(project_search(funding_max=Decimal("600000"), sort="funding")) == ["S1"]
    assert codes(project_search(q="scuola", region="1")) == []  # region codes are two digits
    assert codes(project_search(q="scuola", region="01")) == ["S2"]


def test_facets_count_the_matches(catalogue):
    result = project_search(q="scuola", facets=True)
    regions = {f["label"]: f["count"] for f in result.facets["region"]}
    assert regions == {"Campania": 1, "Piemonte": 1}
    assert {f["value"]: f["count"] for f in result.facets["theme"]} == {"09": 1, "11": 1}


def test_pagination_is_capped_and_removed_projects_hidden(db):
    ProjectFactory.create_batch(5, title="Parco urbano")
    hidden = ProjectFactory(title="Parco urbano rimosso")
    hidden.removed_at = hidden.created_at
    hidden.save()
    result = project_search(q="parco", page_size=2, page=3)
    assert (result.total, result.pages, len(result.results)) == (5, 3, 1)
    assert project_search(q="parco", page_size=10_000).page_size == MAX_PAGE_SIZE
