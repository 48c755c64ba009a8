import csv
import io

import pytest
from django.utils import timezone

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.insights.models import Discrepancy
from monitora.insights.rules import RULES
from monitora.insights.selectors import discrepancy_counts
from monitora.opendata.renderers import neutralise
from monitora.reports.models import Report, ReportStatus
from monitora.search.filters import ReportFilters, html_filters
from monitora.search.models import ReportSearchDocument
from monitora.search.selectors import report_select
from monitora.search.tests.helpers import make_report
from monitora.stats.csvexport import table_csv
from monitora.stats.selectors import (
    PAIRS,
    _counts,
    _statement,
    _unfiltered_statement,
    statistics_page_data,
    stats_table,
    stats_tables,
)

pytestmark = pytest.mark.django_db

CASERTA = {"latitude": 41.0728, "longitude": 14.3264}
TORINO = {"latitude": 45.0703, "longitude": 7.6869}


@pytest.fixture
def corpus():
    health = ProjectFactory(theme_code="09", theme='=HYPERLINK("http://x")')
    make_report(
        project=health,
        project_snapshot={"state": "In corso"},
        **CASERTA,
        impact_status="published",
        answers={
            "stato_di_avanzamento": "5",
            "gs": "3",
            "visita_diretta": True,
            "raccolta_info_web": False,
            "admin_response_no": True,
        },
    )
    make_report(
        project=health,
        project_snapshot={"state": "Concluso"},
        **CASERTA,
        answers={
            "stato_di_avanzamento": "5",
            "gs": "1",
            "visita_diretta": True,
            "admin_response_promises": True,
        },
    )
    make_report(
        version="v2019",
        project_snapshot={"oc_stato_progetto": "Concluso"},
        **TORINO,
        answers={"giudizio_sintetico": "5", "valutazione_risultati": "4", "raccolta_info_web": True},
    )
    for status in (ReportStatus.DRAFT, ReportStatus.REJECTED, ReportStatus.SUBMITTED):
        make_report(
            status=status,
            project=health,
            project_snapshot={"state": "Segreto"},
            **TORINO,
            impact_status="published",
            answers={
                "stato_di_avanzamento": "1",
                "gs": "4",
                "visita_diretta": True,
                "admin_response_no": True,
            },
        )


def _rows(slug, filters=None):
    return stats_table(slug, filters).rows


def test_counts_per_year_region_theme(corpus):
    assert _rows("per-anno") == [["2024", 3]]
    assert _rows("per-regione") == [["Campania", 2], ["Piemonte", 1]]
    assert _rows("per-tema") == [['=HYPERLINK("http://x")', 2], ["Non indicato", 1]]


def test_judgement_by_progress_state(corpus):
    table = stats_table(slug="giudizio-per-avanzamento")
    assert table.columns == [
        "Stato di avanzamento",
        "Efficace",
        "Efficace ma con problemi",
        "Inefficace",
        "Efficacia non valutabile",
        "Non indicato",
    ]
    assert table.rows == [["Bloccato", 1, 0, 1, 0, 0], ["Concluso", 1, 0, 0, 0, 0]]


def test_citizens_progress_against_official_state(corpus):
    table = stats_table(slug="avanzamento-vs-stato-ufficiale")
    assert table.columns[:1] == ["Stato ufficiale (OpenCoesione)"]
    rows = {row[0]: row[1:] for row in table.rows}
    blocked, done = table.columns.index("Bloccato") - 1, table.columns.index("Concluso") - 1
    assert rows["In corso"][blocked] == 1
    assert rows["Concluso"][blocked] == 1 and rows["Concluso"][done] == 1
    assert "Segreto" not in rows


def test_methods_count_yes_answers_of_published_reports(corpus):
    rows = {row[0]: row[1:] for row in _rows("metodi")}
    assert rows["Visita diretta documentata da foto e video"] == [2, 66.7]
    assert rows["Raccolta di informazioni via web"] == [1, 33.3]


def test_impact_counts_only_published_impact_sections(corpus):
    rows = dict(_rows("impatto"))
    assert rows["Nessuna risposta"] == 1
    assert rows["Promesse concrete"] == 0  # that report's Step 3 is not published


def test_filters_apply_to_statistics(corpus):
    assert _rows("per-regione", html_filters({"regione": ["01"]})) == [["Piemonte", 1]]
    assert len(stats_tables(html_filters({"efficacia": ["2"]}))) == 7


def test_neutralise_formula_cells():
    assert neutralise("=SUM(A1)") == "'=SUM(A1)"
    assert neutralise("+1") == "'+1"
    assert neutralise("-1") == "'-1"
    assert neutralise("@cmd") == "'@cmd"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("Campania") == "Campania"
    assert neutralise(-3) == -3
    assert table_csv(["a"], [["=1", 2]]) == "a\r\n'=1,2\r\n"


def test_statistics_page_and_csv_downloads(client, corpus):
    page = client.get("/statistiche/")
    assert page.status_code == 200
    assert "Segreto" not in page.text
    assert "Campania" in page.text
    for table in stats_tables():
        response = client.get(f"/statistiche/{table.slug}.csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert f'filename="monitora-statistiche-{table.slug}.csv"' in response["Content-Disposition"]
        text = response.content.decode()
        assert "Segreto" not in text
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    theme_csv = client.get("/statistiche/per-tema.csv").content.decode()
    assert "'=HYPERLINK" in theme_csv
    assert client.get("/statistiche/per-regione.csv?regione=01").content.decode() == (
        "Regione,Report\r\nPiemonte,1\r\n"
    )


def test_statistics_excel_italian_csv_bytes(client, corpus):
    """Issue 13: every table has an "Excel in italiano" CSV: BOM, `;`, decimal comma."""
    for table in stats_tables():
        response = client.get(f"/statistiche/excel/{table.slug}.csv")
        assert response.status_code == 200
        assert f'filename="monitora-statistiche-{table.slug}-excel.csv"' in response["Content-Disposition"]
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content[3:].decode("utf-8")), delimiter=";"))
        assert rows[0] == [str(c) for c in table.columns]
    data = client.get("/statistiche/excel/metodi.csv").content
    assert b"Visita diretta documentata da foto e video;2;66,7\r\n" in data
    assert b"66.7" not in data
    page = client.get("/statistiche/").text
    assert 'href="/statistiche/excel/metodi.csv"' in page


def test_gate_holds_even_with_a_stale_index(client, corpus):
    Report.objects.filter(project_snapshot__state="In corso").update(status=ReportStatus.REJECTED)
    assert sum(row[1] for row in _rows("per-regione")) == 2
    text = client.get("/statistiche/avanzamento-vs-stato-ufficiale.csv").content.decode()
    assert [row[0] for row in csv.reader(io.StringIO(text))][1:] == ["Concluso"]


@pytest.mark.parametrize("query", ["colore=rosso", "regione=abc", "anno=NaN", "pagina=2"])
def test_bad_filters_get_400(client, query):
    assert client.get(f"/statistiche/?{query}").status_code == 400
    response = client.get(f"/statistiche/per-anno.csv?{query}")
    assert response.status_code == 400
    assert response.content.decode()


def test_unknown_table_is_404(client):
    assert client.get("/statistiche/segreti.csv").status_code == 404


def test_statistics_take_a_fixed_number_of_queries(client, corpus, django_assert_max_num_queries):
    for _n in range(10):
        make_report(**CASERTA, answers={"stato_di_avanzamento": "3", "gs": "1", "visita_diretta": True})
    # One for the seven tables and the findings panel, one for the recurring problems.
    with django_assert_max_num_queries(2):
        assert client.get("/statistiche/").status_code == 200


def test_every_table_takes_one_query(corpus, django_assert_num_queries):
    with django_assert_num_queries(1):
        tables = stats_tables(html_filters({"q": ["ospedale"], "regione": ["15"]}))
    assert len(tables) == 7
    with django_assert_num_queries(1):
        stats_table("per-regione")
    for slug in ("metodi", "impatto"):
        with django_assert_num_queries(1):
            stats_table(slug)


def test_one_pass_gives_the_tables_one_table_at_a_time_gives(corpus):
    """The page counts every table in one statement; each CSV counts only its own."""
    for filters in (None, html_filters({"efficacia": ["1"]}), html_filters({"regione": ["15", "01"]})):
        for table in stats_tables(filters):
            assert stats_table(table.slug, filters) == table


def test_number_tables_are_escaped_and_localised(client, corpus):
    page = client.get("/statistiche/").text
    assert '<th scope="row">=HYPERLINK(&quot;http://x&quot;)</th><td>2</td>' in page
    assert "<td>2</td><td>66,7</td>" in page
    assert 'aria-label="Grafico: Report per tema. I valori sono nella tabella che segue."' in page


def test_page_counts_the_findings_panel_as_discrepancy_counts_does(client, corpus):
    """The page counts findings per rule in its one statement: public ones of matching reports only."""
    now = timezone.now()
    reports = list(Report.objects.order_by("pk"))
    for report, rule, extra in (
        (reports[0], RULES[0].code, {}),
        (reports[1], RULES[0].code, {}),
        (reports[1], RULES[1].code, {"resolved_at": now}),
        (reports[2], RULES[1].code, {"dismissed_at": now}),
        (reports[3], RULES[1].code, {}),  # a draft
    ):
        Discrepancy.objects.create(report=report, rule=rule, basis="x", found_at=now, checked_at=now, **extra)
    for query in ({}, {"regione": ["15"]}, {"regione": ["01"]}, {"efficacia": ["1"]}):
        filters = html_filters(query)
        tables, counts = statistics_page_data(filters)
        assert counts == discrepancy_counts(filters)
        assert tables == stats_tables(filters)
    assert statistics_page_data()[1][0]["count"] == 2
    assert sum(row["count"] for row in statistics_page_data()[1]) == 2


def test_unfiltered_statement_is_compiled_once_and_counts_as_a_fresh_one(corpus):
    """Without filters the page runs the statement compiled on first use; it counts as one built now."""
    names = list(PAIRS)
    options = {"methods": True, "impact": True, "discrepancies": True}
    first = _counts(None, names, **options)
    hits = _unfiltered_statement.cache_info().hits
    assert _counts(ReportFilters(), names, **options) == first
    assert _unfiltered_statement.cache_info().hits == hits + 1
    assert report_select(None).db == ReportSearchDocument.objects.db
    sql, params = _statement(report_select(None), tuple(names), **options)
    assert (sql, tuple(params)) == _unfiltered_statement(
        ReportSearchDocument.objects.db, tuple(names), **options
    )
    make_report(answers={"visita_diretta": True})
    assert _counts(None, names, **options).total == first.total + 1
