"""Exporters: each yields one dict per published report (`iterate_rows()`), renderers write formats.

Memory stays constant whatever the number of reports: rows come from `.iterator(chunk_size=...)`
with per-chunk prefetching, question and option codes are resolved from small in-memory maps, and
nothing is collected in a list.
"""

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.timezone import localtime

from monitora.attachments.models import Attachment
from monitora.catalogue.models import OPENCOESIONE_PROJECT_URL, Territory, project_slug
from monitora.core.siteurl import site_url
from monitora.questionnaires.definitions import EFFECTIVENESS, get_spec
from monitora.questionnaires.models import Option, Question
from monitora.reports.authorship import public_author_name, public_handle, public_team_name
from monitora.reports.models import Answer, Report, ReportLink
from monitora.search.filters import ReportFilters
from monitora.search.selectors import selected_reports
from monitora.teams.models import AuthorCategory

from .columns import ALL_REPORT_COLUMNS, IMPACT_KEYS, MULTI_SEPARATOR, OPENCOESIONE_LINK_COLUMNS, Column
from .selectors import with_indexed_facts

CHUNK_SIZE = 1000


@lru_cache(maxsize=4096)
def _label(questionnaire_code: str, key: str, code: str, *, variant: str = "") -> str:
    """`QuestionnaireSpec.option_label`, cached: an export asks the same few thousand labels."""
    return get_spec(questionnaire_code).option_label(key, code, variant=variant)


# The harmonised effectiveness in a few words (the v2022 short labels), whatever the version.
EFFECTIVENESS_LABELS = {o.code: o.label_it for o in EFFECTIVENESS.options}


def report_url(report_id: int) -> str:
    return site_url() + reverse("public:report_detail", args=[report_id])


def attachment_url(attachment_id: int) -> str:
    return site_url() + reverse("attachments:file", args=[attachment_id])


def _iso(value) -> str | None:
    return localtime(value).isoformat(timespec="seconds") if value else None


def _join(values) -> str:
    if isinstance(values, str):
        return values
    return MULTI_SEPARATOR.join(str(v) for v in dict.fromkeys(values) if v)


def _regions_and_places(territories) -> dict[str, str]:
    regions: dict[str, str] = {}
    provinces: list[str] = []
    municipalities: list[str] = []
    for territory in territories:
        chain = [territory, territory.parent, territory.parent.parent if territory.parent else None]
        for node in chain:
            if node is None:
                continue
            if node.kind == Territory.Kind.REGION:
                regions[node.code] = node.name
            elif node.kind == Territory.Kind.PROVINCE:
                provinces.append(node.name)
            else:
                municipalities.append(node.name)
    return {
        "region_codes": _join(regions),
        "regions": _join(regions.values()),
        "provinces": _join(provinces),
        "municipalities": _join(municipalities),
    }


class ReportExporter:
    """All published reports, one row each, with every answer column of every version."""

    identifier = "reports"
    columns: tuple[Column, ...] = ALL_REPORT_COLUMNS

    def __init__(self, *, filters: ReportFilters | None = None, chunk_size: int = CHUNK_SIZE):
        self.filters = filters or ReportFilters()
        self.chunk_size = chunk_size
        self._category_labels = {code: str(label) for code, label in AuthorCategory.choices}

    def queryset(self, reports: QuerySet[Report] | None = None) -> QuerySet[Report]:
        """The rows of `reports` (default: the published reports matching the filters)."""
        return (
            with_indexed_facts(selected_reports(self.filters) if reports is None else reports)
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.only("report_id", "question_id", "option_id", "text", "boolean"),
                ),
                Prefetch(
                    "links", queryset=ReportLink.objects.only("report_id", "kind", "url", "title", "position")
                ),
                Prefetch("project__territories", queryset=Territory.objects.select_related("parent__parent")),
                Prefetch(
                    "attachments",
                    queryset=Attachment.objects.only("id", "report_id", "position", "is_cover").order_by(
                        "-is_cover", "position", "id"
                    ),
                ),
            )
            .order_by("pk")
        )

    def _maps(self) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
        questions = {q.id: (q.key, q.kind) for q in Question.objects.only("id", "key", "kind")}
        options = dict(Option.objects.values_list("id", "code"))
        return questions, options

    def iterate_rows(self) -> Iterator[dict[str, Any]]:
        questions, options = self._maps()
        for report in self.queryset().iterator(chunk_size=self.chunk_size):
            yield self.row(report, questions, options)

    def row(self, report: Report, questions, options) -> dict[str, Any]:
        project = report.project
        snapshot = report.project_snapshot or {}
        team = report.team
        code = report.questionnaire.code
        impact = report.impact_is_public
        links = list(report.links.all())
        row: dict[str, Any] = {column.name: None for column in self.columns}
        row.update(
            report_id=report.pk,
            report_url=report_url(report.pk),
            title=report.title,
            questionnaire=code,
            questionnaire_name=report.questionnaire.name,
            language=report.language,
            submitted_at=_iso(report.submitted_at),
            published_at=_iso(report.published_at),
            year=report.report_year,
            author_name=public_author_name(report),
            handle=public_handle(report),
            team_name=public_team_name(team),
            team_category=team.category if team else "",
            team_category_label=self._category_labels.get(team.category, team.category) if team else "",
            project_code=report.project_code or (project.code if project else ""),
            project_cup=project.cup if project else snapshot.get("cup", ""),
            project_title=snapshot.get("title") or (project.title if project else ""),
            opencoesione_url=_oc_url(report, project),
            project_theme_code=snapshot.get("theme_code") or (project.theme_code if project else ""),
            project_theme=snapshot.get("theme") or (project.theme if project else ""),
            project_cycle=snapshot.get("cycle") or (project.cycle if project else ""),
            project_programmes=_join(snapshot.get("programmes") or (project.programmes if project else [])),
            project_net_public_funding=_number(
                snapshot.get("net_public_funding") or (project.net_public_funding if project else None)
            ),
            project_state_at_monitoring=snapshot.get("state", ""),
            project_state=project.state if project else "",
            address=report.address,
            latitude=report.latitude,
            longitude=report.longitude,
            region_code=report.report_region or "",
            region=report.report_region_name or "",
            progress_state=report.report_progress or "",
            progress_state_label=_label("v2022", "stato_di_avanzamento", report.report_progress or ""),
            effectiveness=report.report_effectiveness or "",
            effectiveness_label=EFFECTIVENESS_LABELS.get(report.report_effectiveness or "", ""),
            impact_published=impact,
            source_links=_join(link.url for link in links if link.kind == ReportLink.Kind.SOURCE),
            video_links=_join(link.url for link in links if link.kind == ReportLink.Kind.VIDEO),
            attachment_urls=_join(attachment_url(a.pk) for a in report.attachments.all()),
        )
        row.update(_regions_and_places(project.territories.all() if project else []))
        answers = {}
        for answer in report.answers.all():
            key, kind = questions[answer.question_id]
            if key in IMPACT_KEYS and not impact:
                continue  # Step 3 is reviewed on its own: unpublished impact answers never leave.
            answers[key] = answer
            if answer.option_id:
                row[key] = options[answer.option_id]
            elif answer.boolean is not None:
                row[key] = answer.boolean
            else:
                row[key] = answer.text
        for key, answer in answers.items():
            if answer.option_id:
                variant_of = "stato_di_avanzamento" if key == "gs" else ""
                row[f"{key}_label"] = _label(
                    code, key, row[key], variant=str(row.get(variant_of) or "") if variant_of else ""
                )
        return row


def _oc_url(report: Report, project) -> str:
    """The canonical portal URL: from the catalogue, else from the code, else as the authors gave it."""
    if project:
        return project.opencoesione_url
    if report.project_code:
        return OPENCOESIONE_PROJECT_URL.format(slug=project_slug(report.project_code))
    return report.opencoesione_url


def _number(value) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class OpenCoesioneLinkExporter:
    """The list OpenCoesione reads to link each project page back to its civic reports."""

    identifier = "opencoesione-links"
    columns: tuple[Column, ...] = OPENCOESIONE_LINK_COLUMNS

    def __init__(self, *, filters: ReportFilters | None = None, chunk_size: int = CHUNK_SIZE):
        self.reports = ReportExporter(filters=filters, chunk_size=chunk_size)

    def iterate_rows(self) -> Iterator[dict[str, Any]]:
        for row in self.reports.iterate_rows():
            if not row["project_code"]:
                continue
            date = row["submitted_at"] or row["published_at"]
            yield {
                "codice_locale_progetto": row["project_code"],
                "url_opencoesione": row["opencoesione_url"],
                "id_report": row["report_id"],
                "url_report": row["report_url"],
                "data_report": date[:10] if date else None,
                "giudizio_di_efficacia": row["effectiveness_label"],
                "stato_di_avanzamento_al_monitoraggio": row.get("stato_di_avanzamento_label") or "",
            }


EXPORTERS = {exporter.identifier: exporter for exporter in (ReportExporter, OpenCoesioneLinkExporter)}
