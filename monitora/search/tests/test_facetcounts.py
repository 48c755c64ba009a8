"""The one-query facet counts give what one GROUP BY per facet gave, on both databases.

The reference below is the former implementation: per facet, the documents of
`report_select(filters.without(param))` grouped by value, empty values left out.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.search.facets import FACETS
from monitora.search.filters import ReportFilters, html_filters
from monitora.search.models import ReportSearchDocument
from monitora.search.params import SORTS, clean_sort
from monitora.search.selectors import report_search, report_select
from monitora.teams.models import AuthorCategory
from monitora.teams.tests.factories import TeamFactory

from .helpers import CASERTA, TORINO, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    school = TeamFactory(category=AuthorCategory.ASOC_SECONDARY)
    citizens = TeamFactory(category=AuthorCategory.CITIZEN)
    culture = ProjectFactory(theme_code="06", theme="Cultura e turismo")
    schools = ProjectFactory(theme_code="01", theme="Istruzione")
    make_report(
        title="Reggia restaurata",
        team=school,
        project=culture,
        **CASERTA,
        answers={"stato_di_avanzamento": "3", "gs": "1"},
    )
    make_report(
        title="Museo chiuso",
        team=citizens,
        project=culture,
        **CASERTA,
        answers={"stato_di_avanzamento": "5", "gs": "3"},
    )
    make_report(title="Scuola di Caserta", team=school, project=schools, **CASERTA, answers={"gs": "1"})
    make_report(
        title="Scuola di Torino",
        team=school,
        version="v2019",
        **TORINO,
        submitted_at=dt.datetime(2020, 5, 1, 10, tzinfo=dt.UTC),
        answers={"giudizio_sintetico": "5", "valutazione_risultati": "4"},
    )
    make_report(title="Scuola senza luogo", team=citizens, project=schools)


def _reference(filters: ReportFilters) -> dict[str, dict[str, int]]:
    counts = {}
    for facet in FACETS:
        documents = report_select(filters.without(facet.param))
        if facet.column == "year":
            documents = documents.exclude(year__isnull=True)
        else:
            documents = documents.exclude(**{facet.column: ""})
        rows = documents.values(facet.column).annotate(n=Count("pk")).order_by()
        counts[facet.key] = {str(row[facet.column]): row["n"] for row in rows}
    return counts


FILTER_SETS = [
    {},
    {"q": "scuola"},
    {"regione": "15"},
    {"regione": ["15", "01"], "efficacia": "1"},
    {"tema": "cultura e turismo", "avanzamento": ["3", "5"]},
    {"tema": ["01", "Cultura e turismo"], "autore": "asoc_secondary", "regione": "15"},
    {"valutazione": "4"},
    {"q": "scuola", "giudizio": "5", "anno": "2020"},
    {"ciclo": "nessuno"},
    {"q": "nientedatrovare"},
]


@pytest.mark.parametrize(
    "query", FILTER_SETS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all"
)
def test_one_query_counts_match_one_group_by_per_facet(corpus, query):
    filters = html_filters(query)
    result = report_search(filters)
    found = {f.key: {v.value: v.count for v in f.values if v.count} for f in result.facets}
    assert found == _reference(filters)
    assert result.total == report_select(filters).count()


def test_a_ticked_value_with_no_report_is_still_listed(corpus):
    result = report_search(html_filters({"regione": "09"}))
    region = next(f for f in result.facets if f.key == "regione")
    assert [(v.value, v.count, v.selected) for v in region.values if v.selected] == [("09", 0, True)]
    assert result.total == 0


def test_a_value_indexed_with_and_without_its_name_is_labelled_by_the_name(corpus):
    first = ReportSearchDocument.objects.filter(theme="06").order_by("pk").first()
    ReportSearchDocument.objects.filter(pk=first.pk).update(theme_name="")
    theme = next(f for f in report_search().facets if f.key == "tema")
    assert [(v.value, v.label, v.count) for v in theme.values if v.value == "06"] == [
        ("06", "Cultura e turismo", 2)
    ]


def test_a_search_runs_one_query_for_the_counts_and_the_page(corpus, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = report_search(html_filters({"q": "scuola", "regione": "15"}))
    assert (result.total, [d.title for d in result.items]) == (1, ["Scuola di Caserta"])
    with django_assert_num_queries(1):
        assert report_search(html_filters({"q": "nientedatrovare"})).items == []
    with django_assert_num_queries(1):
        assert report_search(html_filters({"q": "scuola"}), with_facets=False).total == 3


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "scuola"},
        {"regione": ["15", "01"], "autore": "asoc_secondary"},
        {"q": "scuola", "tema": "01", "regione": "15"},
    ],
)
def test_the_page_of_results_is_the_ordered_selection_of_the_orm(corpus, sort, query):
    """The page is read from the facet query's SQL: the same rows, in the order of `SORTS`."""
    filters = html_filters(query)
    cleaned = clean_sort(sort, has_query=bool(filters.query))
    selected = report_select(filters, rank=cleaned == "rilevanza").order_by(*SORTS[cleaned])
    expected = [(d.report_id, d.report.title, d.region_name, d.year, d.effectiveness) for d in selected]
    read = []
    for page in (1, 2, 3):
        for with_facets in (True, False):
            result = report_search(filters, sort=sort, page=page, page_size=2, with_facets=with_facets)
            assert result.total == len(expected)
            rows = [(d.report_id, d.title, d.region_name, d.year, d.effectiveness) for d in result.items]
            assert rows == expected[(page - 1) * 2 : page * 2]
        read += rows
    assert read == expected


def test_a_page_past_the_last_is_empty(corpus):
    result = report_search(html_filters({"q": "scuola"}), page=9)
    assert (result.items, result.total, result.beyond_last_page) == ([], 3, True)


def test_the_gate_is_a_join_that_the_page_reads_the_title_through(corpus):
    """No `IN (published reports)` subquery beside the join to the report (slower to plan), and
    the documents compiled once for the counts and the page."""
    with CaptureQueriesContext(connection) as captured:
        result = report_search(html_filters({"q": "scuola"}), sort="titolo")
    assert [d.title for d in result.items] == ["Scuola di Caserta", "Scuola di Torino", "Scuola senza luogo"]
    (query,) = captured.captured_queries
    assert query["sql"].count('INNER JOIN "reports_report"') == 1
    assert 'FROM "reports_report"' not in query["sql"]
