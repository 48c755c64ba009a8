"""The real sample files import with every value preserved; re-import, bad rows, atomicity."""

import csv
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from monitora.catalogue.importing.columns import ImportFileError
from monitora.catalogue.importing.services import ImportAborted, catalogue_import
from monitora.catalogue.models import ImportRun, Project, Territory, project_slug

from .conftest import DATA, ESTESO_HEADER, esteso_row

pytestmark = pytest.mark.django_db


def _amount(text: str) -> Decimal | None:
    return Decimal(text.replace(",", ".")).quantize(Decimal("0.01")) if text.strip() else None


def test_beni_confiscati_sample_every_value_preserved(territories):
    path = DATA / "progetti-beni-confiscati-sample.csv"
    run = catalogue_import(paths=[path])
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert (run.status, run.rows_read, run.inserted, run.rejected) == ("succeeded", 97, 97, 0)
    assert Project.objects.count() == 97
    resolved = 0
    for row in rows:
        p = Project.objects.get(code=row["COD_LOCALE_PROGETTO"])
        assert p.cup == row["CUP"]
        assert p.title == row["OC_TITOLO_PROGETTO"].strip()
        assert p.programmes == [part.strip() for part in row["OC_DESCRIZIONE_PROGRAMMA"].split(":::")]
        assert p.public_funding == _amount(row["FINANZ_TOTALE_PUBBLICO"])
        assert p.net_public_funding == _amount(row["OC_FINANZ_TOT_PUB_NETTO"])
        assert p.payments == _amount(row["TOT_PAGAMENTI"])
        assert (p.state, p.financial_state) == (row["OC_STATO_PROGETTO"], row["OC_STATO_FINANZIARIO"])
        assert (p.cup_nature, p.cup_sector) == (row["CUP_DESCR_NATURA"], row["CUP_DESCR_SETTORE"])
        assert p.theme == row["OC_TEMA_SINTETICO"] and p.procedure == row["DESCR_PROCED_ATTIVAZIONE"].strip()
        assert p.oc_visibility == row["OC_FLAG_VISUALIZZAZIONE"]
        assert row["OC_LINK"] == f"www.opencoesione.gov.it/progetti/{project_slug(p.code)}"
        for column in (
            "PO_OBIETTIVO_OPERATIVO",
            "CUP_DESCR_SOTTOSETTORE",
            "CUP_DESCR_CATEGORIA",
            "OC_FLAG_TIPO_RICERCA",
            "OC_MACRO_CATEGORIA",
            "DEN_REGIONE",
            "DEN_PROVINCIA",
            "DEN_COMUNE",
        ):
            assert p.raw.get(column, "") == row[column].strip(), column
        comuni = set(p.territories.filter(kind="C").values_list("name", flat=True))
        if comuni:
            resolved += 1
            names = {n.strip().casefold() for n in row["DEN_COMUNE"].split(":::")}
            assert {c.casefold() for c in comuni} <= names
    assert resolved >= 70  # names without codes: most comuni are found (mojibake ones are not)


def test_umbria_extract_english_headers_decimal_point_and_iso_dates(territories):
    path = DATA / "umbria-difesa-suolo-with-points.csv"
    run = catalogue_import(paths=[path])
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert (run.rows_read, run.inserted, run.rejected) == (82, 82, 0)
    for row in rows:
        p = Project.objects.get(code=row["LocalProjectCode"])
        assert p.title == row["Intervention"] and p.cup == row["CUP"]
        assert p.public_funding == _amount(row["TotalPublicFunding"])
        mapped = {
            "LocalProjectCode",
            "CUP",
            "Intervention",
            "TotalPublicFunding",
            "COD_REGION",
            "DEN_REGION",
            "COD_PROVINCE",
            "DEN_PROVINCE",
            "COD_MUNICIPALITY",
            "DEN_MUNICIPALITY",
        }
        for column, value in row.items():
            if column not in mapped:
                assert p.raw.get(column.upper(), "") == value.strip(), column
        assert list(p.territories.filter(kind="C").values_list("code", flat=True)) == [
            row["COD_MUNICIPALITY"]
        ]


def test_esteso_layout_dates_lists_subjects_and_old_comune_codes(territories, esteso_file):
    row = esteso_row(
        "1MISE_ESTESO/1",
        OC_CODICE_PROGRAMMA="2014IT05SFOP013:::2014IT16RFOP022",
        OC_DESCRIZIONE_PROGRAMMA="POR FSE PIEMONTE:::POR FESR PUGLIA",
        OC_DATA_INIZIO_PROGETTO="20200715",
        OC_DATA_FINE_PROGETTO_PREVISTA="20221231",
        COD_REGIONE="001:::020",
        COD_PROVINCIA="001001:::020104",
        COD_COMUNE="001001156:::020104001",
        OC_DENOM_BENEFICIARIO="UNIONE DEI COMUNI:::CISA 12",
        OC_CODFISC_BENEFICIARIO="01234567890:::09876543210",
        OC_DENOM_ATTUATORE="REGIONE PIEMONTE",
        FINANZ_TOTALE_PUBBLICO="39500000,00",
        IMPEGNI="1234,5",
        NUOVA_COLONNA_2026="valore sconosciuto",
    )
    header = [*ESTESO_HEADER, "NUOVA_COLONNA_2026"]
    catalogue_import(paths=[esteso_file([row], header=header)])
    p = Project.objects.get(code="1MISE_ESTESO/1")
    assert p.programme_codes == ["2014IT05SFOP013", "2014IT16RFOP022"]
    assert (p.start_date, p.planned_end_date, p.source_updated_on) == (
        date(2020, 7, 15),
        date(2022, 12, 31),
        date(2025, 2, 28),
    )
    assert (p.public_funding, p.commitments) == (Decimal("39500000.00"), Decimal("1234.50"))
    assert p.subjects == [
        {"role": "Attuatore", "name": "REGIONE PIEMONTE"},
        {"role": "Beneficiario", "name": "UNIONE DEI COMUNI", "tax_code": "01234567890"},
        {"role": "Beneficiario", "name": "CISA 12", "tax_code": "09876543210"},
    ]
    assert p.raw == {"NUOVA_COLONNA_2026": "valore sconosciuto"}
    names = set(p.territories.values_list("kind", "name"))
    # 104001 (Aggius, old Olbia-Tempio code) is remapped to today's 090001.
    assert {
        ("C", "Moncalieri"),
        ("C", "Aggius"),
        ("P", "Torino"),
        ("R", "Piemonte"),
        ("R", "Sardegna"),
    } <= names


def test_reimport_updates_changed_adds_new_and_marks_removed_only_on_full_release(territories, esteso_file):
    first = esteso_file([esteso_row("A1"), esteso_row("A2"), esteso_row("A3")])
    assert catalogue_import(paths=[first]).inserted == 3
    again = catalogue_import(paths=[first])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)

    extract = esteso_file(
        [esteso_row("A1", OC_TITOLO_PROGETTO="Titolo nuovo"), esteso_row("A4")], "extract.csv"
    )
    run = catalogue_import(paths=[extract])
    assert (run.inserted, run.updated, run.unchanged, run.removed) == (1, 1, 0, 0)
    assert Project.objects.get(code="A1").title == "Titolo nuovo"
    assert Project.objects.public().count() == 4

    run = catalogue_import(paths=[extract], full_release=True)
    assert (run.unchanged, run.removed) == (2, 2)
    assert set(Project.objects.public().values_list("code", flat=True)) == {"A1", "A4"}
    assert Project.objects.filter(code="A2", removed_at__isnull=False).exists()

    run = catalogue_import(paths=[first], full_release=True)
    assert (run.updated, run.removed) == (3, 1)  # A2, A3 come back; A1 changes back; A4 removed
    assert set(Project.objects.public().values_list("code", flat=True)) == {"A1", "A2", "A3"}


def test_bad_rows_are_reported_with_line_column_reason(territories, esteso_file):
    path = esteso_file(
        [
            esteso_row("OK1"),
            esteso_row("BAD1", OC_DATA_INIZIO_PROGETTO="20201345"),
            esteso_row("BAD2", FINANZ_TOTALE_PUBBLICO="mille"),
            esteso_row("", OC_TITOLO_PROGETTO="senza codice"),
            esteso_row("OK1", OC_TITOLO_PROGETTO="doppione"),
        ]
    )
    run = catalogue_import(paths=[path], max_errors=10)
    assert (run.inserted, run.rejected) == (1, 4)
    errors = {(e["line"], e["column"], e["reason"]) for e in run.errors}
    assert (3, "OC_DATA_INIZIO_PROGETTO", "data inesistente") in errors
    assert (4, "FINANZ_TOTALE_PUBBLICO", "importo non numerico") in errors
    assert (5, "COD_LOCALE_PROGETTO", "valore obbligatorio mancante") in errors
    assert (6, "COD_LOCALE_PROGETTO", "codice già presente alla riga 2 dello stesso file") in errors
    assert [e["line"] for e in run.errors] == [3, 4, 5, 6]
    assert all(set(e) == {"file", "line", "column", "value", "reason"} for e in run.errors)
    assert Project.objects.get(code="OK1").title == "Progetto OK1"


def test_too_many_errors_writes_nothing(territories, esteso_file):
    catalogue_import(paths=[esteso_file([esteso_row("KEEP")], "first.csv")])
    path = esteso_file(
        [esteso_row("NEW1"), esteso_row("X", OC_DATA_FINE_PROGETTO_PREVISTA="2020")], "bad.csv"
    )
    with pytest.raises(ImportAborted):
        catalogue_import(paths=[path], max_errors=0)
    assert list(Project.objects.values_list("code", flat=True)) == ["KEEP"]
    run = ImportRun.objects.first()
    assert (run.status, run.inserted, run.rejected) == ("failed", 0, 1)
    assert "max-errors" in run.message


def test_interruption_mid_import_leaves_catalogue_unchanged(territories, esteso_file):
    catalogue_import(paths=[esteso_file([esteso_row("KEEP", FINANZ_TOTALE_PUBBLICO="5,00")], "first.csv")])
    path = esteso_file([esteso_row(f"N{i}") for i in range(3000)] + [esteso_row("KEEP")], "big.csv")
    calls = []

    def progress(nbytes, rows):
        calls.append(rows)
        if len(calls) == 2:  # after the first chunk has been written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        catalogue_import(paths=[path], progress=progress)
    assert list(Project.objects.values_list("code", "public_funding")) == [("KEEP", Decimal("5.00"))]
    assert ImportRun.objects.first().status == "interrupted"


def test_missing_required_column_is_a_file_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("CUP;OC_TITOLO_PROGETTO\nX;Y\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="COD_LOCALE_PROGETTO"):
        catalogue_import(paths=[path])
    assert ImportRun.objects.get().status == "failed"


def test_zip_with_dated_member_and_dry_run(territories, esteso_file, tmp_path):
    csv_path = esteso_file([esteso_row("Z1"), esteso_row("Z2")])
    archive = tmp_path / "progetti_esteso_PIE.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(csv_path, "progetti_esteso_PIE_20250228.csv")
    run = catalogue_import(paths=[archive], dry_run=True)
    assert (run.status, run.inserted) == ("dry_run", 2)
    assert not Project.objects.exists()
    run = catalogue_import(paths=[archive])
    assert run.files[0]["member"] == "progetti_esteso_PIE_20250228.csv" and len(run.file_hash) == 64
    assert Project.objects.count() == 2


def test_localizzazioni_link_projects_to_places(territories, esteso_file):
    with open(DATA / "localizzazioni-sample.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter=";") if r["COD_REGIONE"] == "1"][:20]
    codes = sorted({r["COD_LOCALE_PROGETTO"] for r in rows})
    catalogue_import(
        paths=[esteso_file([esteso_row(c, COD_REGIONE="", COD_PROVINCIA="", COD_COMUNE="") for c in codes])]
    )
    run = catalogue_import(paths=[], localizzazioni=[DATA / "localizzazioni-sample.csv"])
    assert run.places_linked >= len(rows)
    info = run.files[0]
    assert info["rows"] == 9810 and info["unknown_projects"] > 9000
    for r in rows:
        if r["OC_TERRITORIO_PROG"] == "C":
            istat = r["COD_PROVINCIA"].zfill(3) + r["COD_COMUNE"].zfill(3)
            project = Project.objects.get(code=r["COD_LOCALE_PROGETTO"])
            assert (
                project.territories.filter(kind="C", code=istat).exists()
                or not Territory.objects.filter(kind="C", code=istat).exists()
            )
            assert project.territories.filter(kind="R", code="01").exists()


def test_nul_character_is_a_clear_row_error(territories, esteso_file):
    path = esteso_file([esteso_row("N1"), esteso_row("N2", OC_SINTESI_PROGETTO="testo\x00rotto")])
    run = catalogue_import(paths=[path], max_errors=5)
    assert (run.inserted, run.rejected) == (1, 1)
    [error] = run.errors
    assert (error["line"], error["column"], error["reason"]) == (3, "OC_SINTESI_PROGETTO", "carattere NUL")
