import datetime as dt

import pytest

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.reports.models import Report, ReportStatus
from monitora.search.filters import html_filters
from monitora.search.selectors import report_map_points, report_region_counts, report_search
from monitora.search.text import SearchInputError
from monitora.teams.models import AuthorCategory
from monitora.teams.tests.factories import TeamFactory

from .helpers import CASERTA, TORINO, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    school = TeamFactory(category=AuthorCategory.ASOC_SECONDARY)
    culture = ProjectFactory(theme_code="06", theme="Cultura e turismo")
    return {
        "a": make_report(
            title="Reggia restaurata",
            team=school,
            project=culture,
            **CASERTA,
            answers={"stato_di_avanzamento": "3", "gs": "1"},
        ),
        "b": make_report(
            title="Museo chiuso", project=culture, **CASERTA, answers={"stato_di_avanzamento": "5", "gs": "3"}
        ),
        "c": make_report(
            title="Scuola di Torino",
            team=school,
            version="v2019",
            **TORINO,
            submitted_at=dt.datetime(2020, 5, 1, 10, tzinfo=dt.UTC),
            answers={"giudizio_sintetico": "5", "valutazione_risultati": "4"},
        ),
        "draft": make_report(title="Bozza a Caserta", status=ReportStatus.DRAFT, **CASERTA),
        "rejected": make_report(title="Respinto a Torino", status=ReportStatus.REJECTED, **TORINO),
    }


def _facet(result, key) -> dict[str, int]:
    facet = next(f for f in result.facets if f.key == key)
    return {v.value: v.count for v in facet.values}


def test_facet_counts_only_published_reports(corpus):
    result = report_search()
    assert result.total == 3
    assert _facet(result, "regione") == {"15": 2, "01": 1}
    assert _facet(result, "provincia") == {"061": 2, "001": 1}
    assert _facet(result, "tema") == {"06": 2}
    assert _facet(result, "avanzamento") == {"3": 1, "5": 1, "6": 1}
    assert _facet(result, "efficacia") == {"1": 2, "3": 1}
    assert _facet(result, "giudizio") == {"5": 1}
    assert _facet(result, "anno") == {"2024": 2, "2020": 1}
    assert _facet(result, "autore") == {"asoc_secondary": 2, "citizen": 1}


def test_filter_on_effectiveness_works_across_questionnaire_versions(corpus):
    result = report_search(html_filters({"efficacia": ["1"]}))
    assert {d.title for d in result.items} == {"Reggia restaurata", "Scuola di Torino"}


def test_facets_are_or_within_and_across_facets(corpus):
    result = report_search(html_filters({"regione": ["15", "01"], "efficacia": ["1"]}))
    assert result.total == 2
    # A facet's own filter does not shrink its counts, so other values stay selectable.
    assert _facet(result, "efficacia") == {"1": 2, "3": 1}
    assert _facet(result, "regione") == {"15": 1, "01": 1}


def test_selected_value_without_results_is_still_listed(corpus):
    result = report_search(html_filters({"regione": ["09"]}))
    assert result.total == 0
    facet = next(f for f in result.facets if f.key == "regione")
    assert [(v.value, v.label, v.count, v.selected) for v in facet.values if v.value == "09"] == [
        ("09", "09", 0, True)
    ]


def test_labels_of_facet_values(corpus):
    result = report_search()
    labels = {f.key: {v.value: v.label for v in f.values} for f in result.facets}
    assert labels["regione"]["15"] == "Campania"
    assert labels["avanzamento"]["5"] == "Bloccato"
    assert labels["efficacia"]["3"] == "Inefficace"
    assert labels["tema"]["06"] == "Cultura e turismo"
    assert labels["autore"]["asoc_secondary"] == "Scuola secondaria di secondo grado (ASOC)"


def test_sorting_and_paging(corpus):
    titles = [d.title for d in report_search(sort="titolo", page_size=2).items]
    assert titles == ["Museo chiuso", "Reggia restaurata"]
    page2 = report_search(sort="titolo", page=2, page_size=2)
    assert [d.title for d in page2.items] == ["Scuola di Torino"]
    assert (page2.num_pages, page2.has_previous, page2.has_next) == (2, True, False)
    beyond = report_search(page=500)
    assert (beyond.items, beyond.total, beyond.beyond_last_page) == ([], 3, True)
    assert report_search(page_size=100000).page_size == 100


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"filters": {"colore": ["rosso"]}}, "Parametro sconosciuto"),
        ({"filters": {"regione": ["Campania"]}}, "Valore non valido"),
        ({"filters": {"anno": ["1492"]}}, "Valore non valido"),
        ({"filters": {"regione": [str(i) for i in range(30)]}}, "Troppi valori"),
        ({"sort": "-id"}, "Ordinamento sconosciuto"),
        ({"page": "0"}, "numero intero positivo"),
        ({"page": "1e9"}, "numero intero positivo"),
        ({"page": "9" * 5000}, "numero intero positivo"),
        ({"page": "10001"}, "troppo alto"),
        ({"page_size": "-5"}, "numero intero positivo"),
    ],
)
def test_bad_input_is_refused_with_a_message(kwargs, message):
    with pytest.raises(SearchInputError, match=message):
        filters = html_filters(kwargs.pop("filters", {}))
        report_search(filters, **kwargs)


def test_map_points_and_region_counts_follow_the_filters(corpus):
    points, truncated = report_map_points(html_filters({"regione": ["15"]}))
    assert not truncated
    assert sorted(p["report__title"] for p in points) == ["Museo chiuso", "Reggia restaurata"]
    assert report_region_counts() == {"15": 2, "01": 1}
    assert report_region_counts(html_filters({"q": "scuole"})) == {"01": 1}


def test_stale_index_rows_never_leak(corpus):
    # Even if a publish/unpublish service forgot to reindex, the gate is in the query itself.
    Report.objects.filter(pk=corpus["a"].pk).update(status=ReportStatus.IN_REVIEW)
    assert report_search().total == 2
    assert "Reggia restaurata" not in [p["report__title"] for p in report_map_points()[0]]


def test_long_facets_fold_after_ten_values():
    for n in range(12):
        make_report(project_snapshot={"theme_code": f"{n:02d}", "theme": f"Tema {n}"})
    result = report_search(html_filters({"tema": ["09"]}))
    facet = next(f for f in result.facets if f.key == "tema")
    assert (len(facet.visible), len(facet.hidden)) == (10, 2)
    # Equal counts sort by label: "Tema 0", "Tema 1", "Tema 10", "Tema 11", "Tema 2", ... "Tema 9".
    assert [v.value for v in facet.hidden] == ["08", "09"]
    assert facet.hidden_selected


def test_the_gate_built_once_still_reads_the_status_of_each_search(corpus):
    """The published-documents queryset is kept per process; its rows are not: a report withdrawn
    after a first search (index row left stale on purpose) is gone from the next one, and the
    facet counts and the results agree."""
    first = report_search(html_filters({}))
    assert first.total == len(first.items) > 0
    withdrawn = first.items[0].report_id
    Report.objects.filter(pk=withdrawn).update(status=ReportStatus.WITHDRAWN)
    again = report_search(html_filters({}))
    assert again.total == len(again.items) == first.total - 1
    assert withdrawn not in {d.report_id for d in again.items}
    assert sum(v.count for v in again.facets[0].values) <= again.total
