"""The discrepancies between citizens' reports and official data, as an open-data resource."""

from collections.abc import Iterator
from typing import Any

from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from monitora.insights.rules import RULES_BY_CODE
from monitora.insights.selectors import discrepancy_list
from monitora.search.filters import ReportFilters

from .columns import Column
from .exporters import report_url

DISCREPANCY_COLUMNS: tuple[Column, ...] = (
    Column("discrepancy_id", "integer", _("Identificativo della discrepanza"), required=True),
    Column("rule", "string", _("Codice della regola (vedi docs/insights.md)"), required=True),
    Column("rule_title", "string", _("La regola in breve")),
    Column("report_id", "integer", _("Identificativo del report"), required=True),
    Column("report_url", "string", _("Indirizzo della pagina pubblica del report")),
    Column("project_code", "string", _("COD_LOCALE_PROGETTO del progetto")),
    Column("basis", "string", _("snapshot: dati ufficiali al momento del report; current: dati di oggi")),
    Column("official_state", "string", _("Stato ufficiale confrontato")),
    Column("official_payments", "string", _("Pagamenti ufficiali confrontati (euro)")),
    Column("official_public_funding", "string", _("Finanziamento pubblico confrontato (euro)")),
    Column("official_planned_end_date", "string", _("Data di fine prevista confrontata")),
    Column(
        "citizens_progress", "string", _("Stato di avanzamento trovato dai cittadini (codice armonizzato)")
    ),
    Column("found_at", "datetime", _("Data e ora in cui la regola l'ha trovata (ISO 8601)")),
)


class DiscrepancyExporter:
    identifier = "discrepancies"
    columns = DISCREPANCY_COLUMNS

    def __init__(self, *, filters: ReportFilters | None = None, chunk_size: int = 1000):
        self.filters, self.chunk_size = filters, chunk_size

    def iterate_rows(self) -> Iterator[dict[str, Any]]:
        for item in discrepancy_list(self.filters).iterator(chunk_size=self.chunk_size):
            official = item.evidence.get("official", {})
            rule = RULES_BY_CODE.get(item.rule)
            yield {
                "discrepancy_id": item.pk,
                "rule": item.rule,
                "rule_title": str(rule.title) if rule else "",
                "report_id": item.report_id,
                "report_url": report_url(item.report_id),
                "project_code": item.project.code if item.project_id else "",
                "basis": item.basis,
                "official_state": official.get("state", ""),
                "official_payments": official.get("payments", ""),
                "official_public_funding": official.get("public_funding", ""),
                "official_planned_end_date": official.get("planned_end_date", ""),
                "citizens_progress": item.evidence.get("citizens", {}).get("progress", ""),
                "found_at": localtime(item.found_at).isoformat(timespec="seconds"),
            }
