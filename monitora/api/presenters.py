"""Turn published reports into API dicts, reusing the open data row so both channels agree."""

from typing import Any

from django.urls import reverse

from monitora.attachments.selectors import attachment_list_public
from monitora.core.siteurl import site_url
from monitora.opendata.columns import IMPACT_KEYS, MULTI_SEPARATOR
from monitora.opendata.exporters import ReportExporter
from monitora.questionnaires.definitions import get_spec
from monitora.questionnaires.spec import Kind
from monitora.reports.models import Report
from monitora.search.filters import ReportFilters

# Answers shown as they were given; progress and effectiveness are the harmonised ones.
CLOSED = {"results_judgement": "valutazione_risultati", "overall_judgement": "giudizio_sintetico"}


class ReportPresenter:
    def __init__(self) -> None:
        self.exporter = ReportExporter()
        self.maps = self.exporter._maps()

    def queryset(self, filters: ReportFilters | None = None):
        self.exporter.filters = filters or ReportFilters()
        return self.exporter.queryset().order_by("-published_at", "-pk")

    def one(self, report_id: int) -> Report:
        """One published report by id, as the report page finds it (indexed or not yet)."""
        return self.exporter.queryset(Report.objects.published()).get(pk=report_id)

    def summary(self, report: Report, row: dict[str, Any] | None = None) -> dict[str, Any]:
        row = row or self.exporter.row(report, *self.maps)
        out = {
            "id": report.pk,
            "url": row["report_url"],
            "title": report.title,
            "questionnaire": row["questionnaire"],
            "language": report.language,
            "submitted_at": report.submitted_at,
            "published_at": report.published_at,
            "year": row["year"],
            "author_name": row["author_name"],
            "team_name": row["team_name"],
            "team_category": row["team_category"],
            "project_code": row["project_code"],
            "project_title": row["project_title"],
            "opencoesione_url": row["opencoesione_url"],
            "regions": [r for r in (row["regions"] or "").split(MULTI_SEPARATOR) if r],
            "latitude": report.latitude,
            "longitude": report.longitude,
        }
        for name, key in CLOSED.items():
            out[name] = {"code": row[key], "label": row[f"{key}_label"]} if row.get(key) else None
        for name, column in (
            ("region", "region_code"),
            ("progress_state", "progress_state"),
            ("effectiveness", "effectiveness"),
        ):
            label = row["region" if name == "region" else f"{column}_label"]
            out[name] = {"code": row[column], "label": label} if row[column] else None
        return out

    def detail(self, report: Report) -> dict[str, Any]:
        row = self.exporter.row(report, *self.maps)
        spec = get_spec(report.questionnaire.code)
        answers = []
        for question in spec.questions:
            value = row.get(question.key)
            if value is None or value == "" or (question.key in IMPACT_KEYS and not row["impact_published"]):
                continue
            if question.kind == Kind.CHOICE:
                value_label = row.get(f"{question.key}_label")
            elif question.kind == Kind.BOOLEAN:
                value_label = "Sì" if value else "No"
            else:
                value_label = None
            answers.append(
                {
                    "key": question.key,
                    "label": question.label_it,
                    "value": value,
                    "value_label": value_label,
                    "step": question.step,
                }
            )
        project = report.project
        return {
            **self.summary(report, row),
            "address": report.address,
            "impact_published": row["impact_published"],
            "project": project_ref(project) if project else None,
            "project_snapshot": report.project_snapshot or {},
            "answers": answers,
            "links": [
                {"kind": link.kind, "url": link.url, "title": link.title} for link in report.links.all()
            ],
            "attachments": [
                {
                    "kind": a.kind,
                    "url": site_url() + reverse("attachments:file", args=[a.pk]),
                    "original_name": a.original_name,
                    "content_type": a.content_type,
                    "caption": a.caption,
                    "is_cover": a.is_cover,
                }
                for a in attachment_list_public(report=report)
            ],
        }


def project_ref(project) -> dict[str, Any]:
    return {
        "code": project.code,
        "title": project.title,
        "cup": project.cup,
        "opencoesione_url": project.opencoesione_url,
        "theme": project.theme,
        "cycle": project.cycle,
    }


def api_url(name: str, *args) -> str:
    return site_url() + reverse(f"api-v1:{name}", args=args)
