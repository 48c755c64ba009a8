import csv
from pathlib import Path

import pytest
from django.conf import settings

from monitora.catalogue.importing.territories import territories_load

DATA = Path(settings.BASE_DIR) / "data" / "opencoesione"
with open(DATA / "progetti-esteso-columns-20250228.csv", encoding="utf-8", newline="") as _fh:
    ESTESO_HEADER = [r["colonna"] for r in csv.DictReader(_fh)]


@pytest.fixture
def territories(db):
    territories_load()


def write_esteso(path: Path, rows: list[dict], header: list[str] | None = None) -> Path:
    """A file as OpenCoesione writes it: UTF-8 with BOM, `;`, every value quoted, CRLF."""
    header = header or ESTESO_HEADER
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(col, "") for col in header])
    return path


@pytest.fixture
def esteso_file(tmp_path):
    """Write a progetti_esteso-format file (real 199-column header) from {column: value} dicts."""

    def write(rows: list[dict], name: str = "progetti_esteso_test.csv", header=None) -> Path:
        return write_esteso(tmp_path / name, rows, header)

    return write


def esteso_row(code: str, **values) -> dict:
    row = {
        "COD_LOCALE_PROGETTO": code,
        "CUP": "E81H17000070006",
        "OC_TITOLO_PROGETTO": f"Progetto {code}",
        "OC_COD_CICLO": "2",
        "OC_DESCR_CICLO": "Ciclo di programmazione 2014-2020",
        "OC_COD_TEMA_SINTETICO": "09",
        "OC_TEMA_SINTETICO": "Inclusione sociale e salute",
        "FINANZ_TOTALE_PUBBLICO": "1000,00",
        "OC_STATO_PROGETTO": "In corso",
        "DATA_AGGIORNAMENTO": "20250228",
    }
    row.update(values)
    return row


def search_sample_rows() -> list[dict]:
    """Three projects that exercise words, stemming, territories at every level, funding and cycle."""
    return [
        esteso_row(
            "S1",
            OC_TITOLO_PROGETTO="Ristrutturazione della scuola elementare",
            COD_REGIONE="015",
            COD_PROVINCIA="015063",
            COD_COMUNE="015063049",
            FINANZ_TOTALE_PUBBLICO="500000,00",
        ),
        esteso_row(
            "S2",
            OC_TITOLO_PROGETTO="Nuove scuole per la città",
            OC_COD_TEMA_SINTETICO="11",
            OC_TEMA_SINTETICO="Istruzione e formazione",
            COD_REGIONE="001",
            FINANZ_TOTALE_PUBBLICO="2000000,00",
            OC_CODICE_PROGRAMMA="2014IT05SFOP013",
            CUP="J12E20000010001",
        ),
        esteso_row(
            "S3",
            OC_TITOLO_PROGETTO="Bonifica della discarica",
            OC_COD_CICLO="3",
            COD_REGIONE="015",
            FINANZ_TOTALE_PUBBLICO="",
            OC_STATO_PROGETTO="Concluso",
        ),
    ]
