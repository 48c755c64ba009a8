"""The Frictionless Data Package descriptor (datapackage.json) of the open data.

Resource paths are relative, so the same descriptor works next to the files written by
`export_opendata --format datapackage DIR` and at `/open-data/datapackage.json` on the site.
"""

from django.utils import timezone

from .discrepancies import DiscrepancyExporter
from .exporters import OpenCoesioneLinkExporter, ReportExporter

REPORTS_LICENCE = {
    "name": "CC-BY-SA-4.0",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
    "title": "Creative Commons Attribution-ShareAlike 4.0 (contenuto dei report)",
}
OPENCOESIONE_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 (dati dei progetti OpenCoesione)",
}
OPENCOESIONE_ATTRIBUTION = (
    "Fonte: OpenCoesione – Presidenza del Consiglio dei Ministri, Dipartimento per le politiche di coesione"
)

# file name -> (exporter class, renderer format)
FILES = {
    "reports.csv": (ReportExporter, "csv"),
    "reports-semicolon.csv": (ReportExporter, "csv-semicolon"),
    "reports.json": (ReportExporter, "json"),
    "reports.geojson": (ReportExporter, "geojson"),
    "opencoesione-links.csv": (OpenCoesioneLinkExporter, "csv"),
    "opencoesione-links.json": (OpenCoesioneLinkExporter, "json"),
    "discrepancies.csv": (DiscrepancyExporter, "csv"),
    "discrepancies.json": (DiscrepancyExporter, "json"),
}


def _schema(exporter) -> dict:
    key = "report_id" if exporter is ReportExporter else None
    schema = {"fields": [column.frictionless() for column in exporter.columns], "missingValues": [""]}
    if key:
        schema["primaryKey"] = [key]
    return schema


def _decimal_comma(schema: dict) -> dict:
    """The "Excel in italiano" file writes `1234,5`: its number fields say so (Frictionless `decimalChar`)."""
    fields = [{**f, "decimalChar": ","} if f["type"] == "number" else f for f in schema["fields"]]
    return {**schema, "fields": fields}


def datapackage_descriptor() -> dict:
    reports_schema = _schema(ReportExporter)
    links_schema = _schema(OpenCoesioneLinkExporter)
    discrepancy_schema = _schema(DiscrepancyExporter)
    return {
        "name": "monitora-reports",
        "title": "Monitora – report di monitoraggio civico pubblicati",
        "description": (
            "Tutti i report di monitoraggio civico pubblicati su Monitora, una riga per report, con le "
            "risposte del questionario (codici ed etichette) e i dati ufficiali OpenCoesione del progetto. "
            + OPENCOESIONE_ATTRIBUTION
            + " (CC BY 4.0)."
        ),
        "created": timezone.now().isoformat(timespec="seconds"),
        "licenses": [REPORTS_LICENCE, OPENCOESIONE_LICENCE],
        "sources": [
            {"title": "Monitora – report pubblicati"},
            {"title": OPENCOESIONE_ATTRIBUTION, "path": "https://opencoesione.gov.it/"},
        ],
        "resources": [
            {
                "name": "reports",
                "path": "reports.csv",
                "title": "Report pubblicati (CSV, separatore virgola)",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": reports_schema,
            },
            {
                "name": "reports-semicolon",
                "path": "reports-semicolon.csv",
                "title": (
                    "Report pubblicati (CSV con BOM, separatore punto e virgola, decimali con la "
                    "virgola: per Excel in italiano)"
                ),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ";"},
                "schema": _decimal_comma(reports_schema),
            },
            {
                "name": "reports-json",
                "path": "reports.json",
                "title": "Report pubblicati (JSON: un array di oggetti con le stesse colonne)",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "schema": reports_schema,
            },
            {
                "name": "reports-geojson",
                "type": "json",
                "path": "reports.geojson",
                "title": "Report pubblicati (GeoJSON; geometria nulla se il report non ha un luogo)",
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
            },
            {
                "name": "opencoesione-links",
                "path": "opencoesione-links.csv",
                "title": "Elenco per OpenCoesione: progetto, report, data, giudizio, avanzamento",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": links_schema,
            },
            {
                "name": "discrepancies",
                "path": "discrepancies.csv",
                "title": "Discrepanze tra quanto trovato dai cittadini e i dati ufficiali (CSV)",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": discrepancy_schema,
            },
            {
                "name": "discrepancies-json",
                "path": "discrepancies.json",
                "title": "Discrepanze tra quanto trovato dai cittadini e i dati ufficiali (JSON)",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "schema": discrepancy_schema,
            },
        ],
    }
