import io
import json
from pathlib import Path

import frictionless
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from .corpus import SECRET, build_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return build_corpus()


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("reports.csv", "text/csv; charset=utf-8"),
        ("reports-semicolon.csv", "text/csv; charset=utf-8"),
        ("reports.json", "application/json"),
        ("reports.geojson", "application/geo+json"),
        ("opencoesione-links.csv", "text/csv; charset=utf-8"),
        ("opencoesione-links.json", "application/json"),
    ],
)
def test_downloads_stream_only_published(client, corpus, filename, content_type):
    response = client.get(reverse("opendata:download", args=[filename]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == content_type
    assert "attachment" in response["Content-Disposition"]
    body = _body(response)
    assert f"/report/{corpus.published.pk}/" in body
    assert SECRET not in body
    for report in corpus.hidden:
        assert f"/report/{report.pk}/" not in body


def test_downloads_take_the_report_filters(client, corpus):
    url = reverse("opendata:download", args=["reports.json"])
    rows = json.loads(b"".join(client.get(url, {"questionnaire": "legacy"}).streaming_content))
    assert [row["report_id"] for row in rows] == [corpus.legacy.pk]
    for bad in ({"efficacia": "1"}, {"year": "NaN"}):
        response = client.get(url, bad)
        assert response.status_code == 400 and next(iter(bad)) in response.content.decode()


def test_unknown_download_is_404(client):
    assert client.get(reverse("opendata:download", args=["passwords.csv"])).status_code == 404
    assert client.post(reverse("opendata:download", args=["reports.csv"])).status_code == 405


def test_index_and_dictionary_pages(client, corpus):
    index = client.get(reverse("opendata:index"))
    assert index.status_code == 200
    assert "CC BY-SA 4.0" in index.text
    assert "Fonte: OpenCoesione – Presidenza del Consiglio dei Ministri" in index.text
    dictionary = client.get(reverse("opendata:dictionary"))
    assert dictionary.status_code == 200
    for name in ("report_id", "gs_label", "stato_di_avanzamento", "giudizio_sintetico", "admin_response_no"):
        assert f'id="col-{name}"' in dictionary.text
    assert "In corso con problemi di realizzazione" in dictionary.text
    english = client.get(reverse("opendata:dictionary"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200


def test_datapackage_view_matches_files(client):
    descriptor = client.get(reverse("opendata:datapackage")).json()
    names = {r["path"] for r in descriptor["resources"]}
    for path in names:
        assert client.get(reverse("opendata:download", args=[path])).status_code == 200
    assert {lic["name"] for lic in descriptor["licenses"]} == {"CC-BY-SA-4.0", "CC-BY-4.0"}


def test_export_command_writes_a_valid_datapackage(corpus, tmp_path: Path):
    out = tmp_path / "package"
    call_command("export_opendata", str(out), "--format", "datapackage")
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in descriptor["resources"]} >= {
        "reports",
        "reports-semicolon",
        "opencoesione-links",
    }
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    # The package validates against its own schema, and the rows are the published ones.
    text = (out / "reports.csv").read_text(encoding="utf-8")
    assert SECRET not in text and f"/report/{corpus.published.pk}/" in text


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_export_command_writes_the_same_bytes_as_the_site(client, corpus, tmp_path: Path, fmt):
    out = tmp_path / f"reports.{fmt}"
    call_command("export_opendata", str(out), "--format", fmt)
    served = _body(client.get(reverse("opendata:download", args=[f"reports.{fmt}"])))
    assert out.read_bytes().decode("utf-8") == served


def test_export_command_semicolon_and_bad_input(corpus, tmp_path: Path):
    out = tmp_path / "r.csv"
    call_command("export_opendata", str(out), "--format", "csv", "--delimiter", ";")
    assert out.read_text(encoding="utf-8").startswith("\ufeffreport_id;report_url;")  # BOM for Excel
    with pytest.raises(CommandError, match="non esiste"):
        call_command("export_opendata", str(tmp_path / "missing" / "x.csv"))
    with pytest.raises(CommandError, match="cartella"):
        call_command("export_opendata", str(tmp_path))
    with pytest.raises(CommandError, match="coordinate"):
        call_command("export_opendata", str(out), "--format", "geojson", "--dataset", "opencoesione-links")


def test_real_demo_data_exports_to_a_valid_package(tmp_path: Path):
    """The example report and the legacy Monithon sample (real data) pass the Frictionless checks."""
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    out = tmp_path / "package"
    call_command("export_opendata", str(out), "--format", "datapackage", stderr=io.StringIO())
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    rows = json.loads((out / "reports.json").read_text(encoding="utf-8"))
    assert len(rows) >= 50
    assert {r["questionnaire"] for r in rows} >= {"legacy", "v2019"}
    assert any(r["giudizio_sintetico_label"] == "Concluso e utile" for r in rows)
    # Issue 13: the legacy overall judgement counts as effectiveness where it means it, so most
    # legacy reports are no longer "Non indicato" (in progress / blocked ones still are).
    judged = [r for r in rows if r["questionnaire"] == "legacy" and r["effectiveness"]]
    assert len(judged) > len(rows) / 2
    labels = {r["effectiveness_label"] for r in judged}
    assert labels <= {"Efficace", "Inefficace", "Efficacia non valutabile"}
    # The example report's author slot holds an e-mail address: bulk data never spreads it.
    assert "@" not in "".join(r["author_name"] or "" for r in rows)
    wecare = next(r for r in rows if r["title"].startswith("WECARE"))
    assert wecare["author_name"] == "" and wecare["handle"] == "Doest18"
    links = (out / "opencoesione-links.csv").read_text(encoding="utf-8").splitlines()
    assert links[0].startswith("codice_locale_progetto,url_opencoesione,id_report")
    assert len(links) > 40
