import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitora.opendata.columns import ALL_REPORT_COLUMNS
from monitora.opendata.exporters import OpenCoesioneLinkExporter, ReportExporter
from monitora.opendata.renderers import neutralise, render
from monitora.reports.models import ReportLink
from monitora.reports.tests.factories import ReportFactory
from monitora.search.services import report_search_index

from .corpus import SECRET, build_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return build_corpus()


def _text(exporter, fmt: str) -> str:
    return "".join(render(exporter, fmt))


def test_rows_have_codes_and_labels_across_versions(corpus):
    rows = {row["report_id"]: row for row in ReportExporter().iterate_rows()}
    assert set(rows) == {corpus.published.pk, corpus.legacy.pk}
    row = rows[corpus.published.pk]
    assert row["questionnaire"] == "v2022"
    assert row["stato_di_avanzamento"] == "4"
    assert row["stato_di_avanzamento_label"] == "In corso con problemi di realizzazione"
    assert row["gs"] == "2"
    # The effectiveness label depends on the progress state (3-5: "ongoing" wording).
    assert row["gs_label"].startswith("Potenzialmente efficace ma con problemi")
    assert row["visita_diretta"] is True and row["raccolta_info_web"] is False
    assert row["questionario_utenti"] is None  # not answered is not "No"
    assert row["project_code"] == "1MISEPON04A3_00133/1"
    assert row["opencoesione_url"] == "https://opencoesione.gov.it/it/progetti/1misepon04a3_001331/"
    assert row["regions"] == "Campania" and row["region_codes"] == "15"
    assert row["provinces"] == "Caserta" and row["municipalities"] == "Caserta"
    assert row["project_net_public_funding"] == 1250000.5
    assert row["source_links"] == "https://example.org/fonte"
    assert row["report_url"].endswith(f"/report/{corpus.published.pk}/")
    legacy = rows[corpus.legacy.pk]
    assert legacy["giudizio_sintetico"] == "5" and legacy["giudizio_sintetico_label"] == "Concluso e utile"
    assert legacy["valutazione_risultati_label"].startswith("Intervento molto utile ed efficace")
    assert legacy["year"] == 2016
    assert legacy["tv_locali"] is True  # Step 3 published for this one


def test_unpublished_step3_never_leaves(corpus):
    row = next(r for r in ReportExporter().iterate_rows() if r["report_id"] == corpus.published.pk)
    assert row["impact_published"] is False
    assert row["impact_description"] is None and row["admin_response_promises"] is None


@pytest.mark.parametrize("fmt", ["csv", "csv-semicolon", "json", "geojson"])
def test_no_unpublished_report_in_any_format(corpus, fmt):
    for exporter in (ReportExporter(), OpenCoesioneLinkExporter()):
        if fmt == "geojson" and isinstance(exporter, OpenCoesioneLinkExporter):
            continue
        text = _text(exporter, fmt)
        assert SECRET not in text
        for report in corpus.hidden:
            assert f"/report/{report.pk}/" not in text


def test_csv_variants_parse_and_neutralise_formulas(corpus):
    for fmt, delimiter in (("csv", ","), ("csv-semicolon", ";")):
        text = _text(ReportExporter(), fmt)
        assert text.startswith("\ufeff") == (delimiter == ";")  # Excel needs the BOM to read UTF-8
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter)
        assert reader.fieldnames == [c.name for c in ALL_REPORT_COLUMNS]
        rows = {int(r["report_id"]): r for r in reader}
        row = rows[corpus.published.pk]
        assert row["title"].startswith("'=HYPERLINK")
        assert row["avanzamento"] == "'-lavori fermi da mesi"
        assert row["visita_diretta"] == "true" and row["raccolta_info_web"] == "false"
        assert row["questionario_utenti"] == ""
        assert row["latitude"] == ("41,0731" if delimiter == ";" else "41.0731")
    for prefix in "=+-@\t\r":
        assert neutralise(prefix + "x") == "'" + prefix + "x"
    assert neutralise("ok") == "ok" and neutralise(-3.5) == -3.5


def test_json_and_geojson(corpus):
    rows = json.loads(_text(ReportExporter(), "json"))
    assert {r["report_id"] for r in rows} == {corpus.published.pk, corpus.legacy.pk}
    assert next(r for r in rows if r["report_id"] == corpus.published.pk)["title"].startswith("=HYPERLINK")
    geo = json.loads(_text(ReportExporter(), "geojson"))
    assert geo["type"] == "FeatureCollection"
    features = {f["id"]: f for f in geo["features"]}
    assert features[corpus.published.pk]["geometry"] == {"type": "Point", "coordinates": [14.327, 41.0731]}
    assert features[corpus.legacy.pk]["geometry"] is None


def test_opencoesione_link_list(corpus):
    rows = list(OpenCoesioneLinkExporter().iterate_rows())
    assert rows == [
        {
            "codice_locale_progetto": "1MISEPON04A3_00133/1",
            "url_opencoesione": "https://opencoesione.gov.it/it/progetti/1misepon04a3_001331/",
            "id_report": corpus.published.pk,
            "url_report": rows[0]["url_report"],
            "data_report": "2024-03-01",
            "giudizio_di_efficacia": "Efficace ma con problemi",
            "stato_di_avanzamento_al_monitoraggio": "In corso con problemi di realizzazione",
        }
    ]


def test_query_count_does_not_grow_with_reports(corpus, django_assert_num_queries):
    """Answers, links and territories are prefetched per chunk, never per report."""
    with CaptureQueriesContext(connection) as before:
        _text(ReportExporter(), "csv")
    for _ in range(5):
        build_more = ReportFactory(published=True, project=corpus.project)
        ReportLink.objects.create(report=build_more, kind=ReportLink.Kind.VIDEO, url="https://example.org/v")
        report_search_index(build_more)
    with django_assert_num_queries(len(before.captured_queries)):
        text = _text(ReportExporter(), "csv")
    assert text.count("https://example.org/v") == 5


def test_excel_italian_csv_bytes_have_bom_semicolons_and_decimal_commas(client, corpus):
    """Issue 13: the "Excel in italiano" file, read as bytes the way Excel with Italian settings does."""
    from django.urls import reverse

    from monitora.opendata.renderers import EXCEL_IT, csv_cell

    response = client.get(reverse("opendata:download", args=["reports-semicolon.csv"]))
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    lines = data[3:].decode("utf-8").split("\r\n")
    header = lines[0].split(";")
    assert header[:2] == ["report_id", "report_url"] and "," not in lines[0]
    rows = [dict(zip(header, row, strict=True)) for row in csv.reader(lines[1:-1], delimiter=";")]
    row = next(r for r in rows if r["report_id"] == str(corpus.published.pk))
    assert (row["latitude"], row["longitude"]) == ("41,0731", "14,327")
    numbers = [c.name for c in ALL_REPORT_COLUMNS if c.type == "number"]
    for r in rows:
        for name in numbers:
            assert "." not in r[name], (name, r[name])
    plain = b"".join(client.get(reverse("opendata:download", args=["reports.csv"])).streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf") and b"41.0731" in plain
    assert csv_cell(1234567.5, EXCEL_IT) == "1234567,5" and csv_cell(1e-05, EXCEL_IT) == "0,00001"
    assert csv_cell(True, EXCEL_IT) == "true" and csv_cell(7, EXCEL_IT) == 7
