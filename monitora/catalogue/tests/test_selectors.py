from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitora.catalogue import selectors
from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.models import Project
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
    assert (result.total, result.num_pages, len(result.results)) == (5, 3, 1)
    assert project_search(q="parco", page_size=10_000).page_size == MAX_PAGE_SIZE


def _parks(n: int) -> None:
    """`n` public parks with distinct funding (some unknown) and one removed park."""
    for i in range(n):
        ProjectFactory(
            title=f"Parco urbano {i}", public_funding=None if i % 4 == 0 else Decimal(1000 + i * 7 % 13)
        )
    hidden = ProjectFactory(title="Parco urbano rimosso", public_funding=Decimal(1))
    hidden.removed_at = hidden.created_at
    hidden.save()


def _expected_funding_order(descending: bool) -> list[str]:
    parks = Project.objects.public().filter(title__startswith="Parco urbano")
    known = sorted(
        (p for p in parks if p.public_funding is not None),
        key=lambda p: ((-p.public_funding if descending else p.public_funding), p.code),
    )
    return [p.code for p in known] + sorted(p.code for p in parks if p.public_funding is None)


@pytest.mark.parametrize("sort", ["funding", "-funding"])
def test_funding_sorts_put_unknown_last_and_break_ties_by_code(sort):
    _parks(12)
    expected = _expected_funding_order(descending=sort == "-funding")
    pages = [codes(project_search(q="parco", sort=sort, page_size=5, page=page)) for page in (1, 2, 3)]
    assert sum(pages, []) == expected


def test_counting_stops_at_the_cap_and_ranks_the_first_matches(monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "RANK_CANDIDATES", 3)
    _parks(8)
    result = project_search(q="parco", page_size=10)
    assert (result.total, result.total_capped, len(result.results)) == (3, True, 3)
    assert all(p.removed_at is None for p in result.results)


@pytest.mark.postgres_only
def test_common_words_are_first_looked_for_in_the_first_pages(monkeypatch):
    """The bounded probe of the first table pages finds the same first matches as the index."""
    if connection.vendor != "postgresql":
        pytest.skip("the probe and the column statistics are PostgreSQL's")
    _parks(40)
    ProjectFactory.create_batch(10, title="Scuola elementare")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_project")
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    words = selectors._word_stats("parco urbano")
    assert words is not None and 0.5 < words.share <= 1
    assert selectors._word_stats("parco or scuola") is None  # OR: no upper bound from one word
    without_probe = project_search(q="parco urbano", page_size=3)
    monkeypatch.setattr(selectors, "PROBE_COST", 0)  # always cheaper than the index
    with CaptureQueriesContext(connection) as queries:
        with_probe = project_search(q="parco urbano", page_size=3)
    assert any("ctid <" in query["sql"] for query in queries.captured_queries)
    assert (
        (with_probe.total, with_probe.total_capped)
        == (without_probe.total, without_probe.total_capped)
        == (5, True)
    )
    assert codes(with_probe) == codes(without_probe)
    monkeypatch.setattr(selectors, "PROBE_MARGIN", 0.001)  # a probe that falls short: the index answers
    assert codes(project_search(q="parco urbano", page_size=3)) == codes(without_probe)


@pytest.mark.postgres_only
def test_search_indexes_are_partial_and_cover_the_theme():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL indexes (migration 0005)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'catalogue_project'")
        indexes = dict(cursor.fetchall())
    assert "(search_vector, theme_code) WHERE (removed_at IS NULL)" in indexes["catalogue_project_search"]
    assert "DESC NULLS LAST, code) WHERE" in indexes["catalogue_project_funding"]
    assert "(public_funding, code) WHERE" in indexes["catalogue_project_funding_asc"]


@pytest.mark.postgres_only
def test_funding_walk_for_common_words_keeps_the_order_and_puts_settings_back(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    _parks(12)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_project")
        cursor.execute("SELECT current_setting('work_mem'), current_setting('enable_seqscan')")
        before = cursor.fetchone()
    monkeypatch.setattr(selectors, "WALK_ROWS", 10**9)
    with CaptureQueriesContext(connection) as queries:
        result = project_search(q="parco urbano", sort="funding", page_size=50)
    assert any("enable_bitmapscan" in query["sql"] for query in queries.captured_queries)
    assert codes(result) == _expected_funding_order(descending=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem'), current_setting('enable_seqscan')")
        assert cursor.fetchone() == before


def test_links_have_one_index_per_lookup_direction():
    """Migration 0006: the unique (project, territory) index serves look-ups by project, so no
    separate project index is built after every bulk import (on either database)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "catalogue_project_territories")
    indexed = sorted(tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"])
    assert ("project_id",) not in indexed
    assert ("project_id", "territory_id") in indexed
    assert ("territory_id",) in indexed
