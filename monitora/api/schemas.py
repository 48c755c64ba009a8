"""Output and input shapes of the API (explicit fields: nothing leaks by accident)."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

from monitora.questionnaires.definitions import (
    EFFECTIVENESS,
    OVERALL_JUDGEMENT,
    PROGRESS_STATES,
    QUESTIONNAIRES,
    RESULTS_JUDGEMENT_2019,
)
from monitora.search.text import MAX_QUERY_LENGTH
from monitora.teams.models import AuthorCategory

from .pagination import PageMeta

QuestionnaireCode = Literal[tuple(QUESTIONNAIRES)]  # type: ignore[valid-type]


def _codes(options) -> str:
    return ", ".join(f"{o.code} {o.short_label_it or o.label_it}" for o in options)


def _filter(description: str):
    return Field(None, min_length=1, max_length=200, description=description)


class ReportFilterParams(Schema):
    """The report filters, documented for OpenAPI; `search.filters.parse_report_filters` parses them
    (the same parser as every other channel), so a bad value is a 400 naming the parameter."""

    region: str | None = _filter("Codice ISTAT della regione del report (es. 15 = Campania)")
    province: str | None = _filter("Codice ISTAT della provincia del report (es. 061)")
    theme: str | None = _filter("Codice (es. 09) o nome del tema sintetico OpenCoesione")
    cycle: str | None = _filter("Codice o nome del ciclo di programmazione")
    progress_state: str | None = _filter(
        "Stato di avanzamento, armonizzato tra le versioni del questionario: " + _codes(PROGRESS_STATES)
    )
    effectiveness: str | None = _filter(
        "Giudizio di efficacia, armonizzato tra le versioni del questionario: "
        + _codes(EFFECTIVENESS.options)
    )
    results_judgement: str | None = _filter(
        "Giudizio sui risultati (legacy, v2019): " + _codes(RESULTS_JUDGEMENT_2019.options)
    )
    overall_judgement: str | None = _filter(
        "Giudizio sintetico (legacy, v2019): " + _codes(OVERALL_JUDGEMENT.options)
    )
    year: str | None = _filter("Anno del report (invio, o pubblicazione), 2000-2100")
    project_code: str | None = _filter("COD_LOCALE_PROGETTO: i report del progetto")
    questionnaire: str | None = _filter("Versione del questionario: " + ", ".join(QUESTIONNAIRES))
    author_category: str | None = _filter("Categoria degli autori: " + ", ".join(AuthorCategory.values))
    q: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        description="Parole da cercare come nella pagina di ricerca (radice italiana: «scuole» trova "
        '«scuola»; "frase esatta" tra virgolette; tutte le parole devono comparire)',
    )


class CodeLabel(Schema):
    code: str
    label: str


class ProjectRef(Schema):
    code: str
    title: str
    cup: str
    opencoesione_url: str
    theme: str
    cycle: str


class ReportSummary(Schema):
    id: int
    url: str
    title: str
    questionnaire: str
    language: str
    submitted_at: datetime | None
    published_at: datetime | None
    year: int | None
    author_name: str
    team_name: str
    team_category: str
    project_code: str
    project_title: str
    opencoesione_url: str
    regions: list[str]
    latitude: float | None
    longitude: float | None
    region: CodeLabel | None = Field(description="Regione del report: quella di filtri, mappa e statistiche")
    progress_state: CodeLabel | None
    effectiveness: CodeLabel | None
    results_judgement: CodeLabel | None
    overall_judgement: CodeLabel | None


class AnswerOut(Schema):
    key: str
    label: str
    value: str | bool | None
    value_label: str | None
    step: int


class LinkOut(Schema):
    kind: str
    url: str
    title: str


class PublicAttachment(Schema):
    kind: str
    url: str
    original_name: str
    content_type: str
    caption: str
    is_cover: bool


class ReportDetail(ReportSummary):
    address: str
    impact_published: bool
    project: ProjectRef | None
    project_snapshot: dict
    answers: list[AnswerOut]
    links: list[LinkOut]
    attachments: list[PublicAttachment]


class ReportPage(PageMeta):
    results: list[ReportSummary]


class ProjectSummary(Schema):
    code: str
    cup: str
    title: str
    theme_code: str
    theme: str
    cycle: str
    state: str
    net_public_funding: float | None
    opencoesione_url: str
    published_reports: int


class TerritoryOut(Schema):
    code: str
    kind: str
    name: str
    parent_code: str | None
    latitude: float | None
    longitude: float | None


class ProjectDetail(ProjectSummary):
    summary: str
    programmes: list
    fund: str
    start_date: date | None
    planned_end_date: date | None
    actual_end_date: date | None
    subjects: list
    territories: list[TerritoryOut]
    reports: list[ReportSummary]


class ProjectPage(PageMeta):
    count_capped: bool = Field(description="Vero se i risultati sono più di `count` (1000)")
    results: list[ProjectSummary]


class TerritoryPage(PageMeta):
    results: list[TerritoryOut]


class Count(Schema):
    key: str | None
    label: str
    count: int


class Statistics(Schema):
    total: int
    by_year: list[Count]
    by_region: list[Count]
    by_theme: list[Count]
    by_questionnaire: list[Count]
    by_progress_state: list[Count]
    by_effectiveness: list[Count]
    by_results_judgement: list[Count]
    by_overall_judgement: list[Count]


class OptionOut(Schema):
    code: str
    label: str
    label_en: str
    variants: dict[str, str]


class QuestionOut(Schema):
    key: str
    kind: str
    step: int
    section: str
    label: str
    label_en: str
    required: bool
    options: list[OptionOut]


class QuestionnaireOut(Schema):
    code: str
    name: str
    valid_from: str
    valid_to: str
    questions: list[QuestionOut]


AnswerValue = str | bool | None


def _no_nul(value):
    """PostgreSQL cannot store NUL characters: refuse them up front with a 400, not a 500 later."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("carattere NUL non ammesso")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_nul(key)
            _no_nul(item)
    if isinstance(value, list):
        for item in value:
            _no_nul(item)
    return value


class WriteSchema(Schema):
    # A field the API does not know (status, author_name...) is an error, never silently dropped.
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def refuse_nul(self):
        for name in type(self).model_fields:
            _no_nul(getattr(self, name))
        return self


class LinksIn(WriteSchema):
    source: list[str] | None = Field(None, max_length=20, description="Link a fonti e documenti")
    video: list[str] | None = Field(None, max_length=20, description="Link a video")


class ReportIn(WriteSchema):
    """A new draft (current questionnaire). Answers are {question key: code, true/false or text}.

    Like the web form, only title, place and answers are the authors' to set: status, team
    attribution, author line and dates are decided by the services.
    """

    team: str = Field(..., min_length=1, max_length=200, description="Slug del team autore")
    project_code: str = Field(
        "", max_length=300, description="COD_LOCALE_PROGETTO o URL OpenCoesione del progetto monitorato"
    )
    title: str | None = Field(None, min_length=1, max_length=500)
    address: str | None = Field(None, max_length=500)
    postcode: str | None = Field(None, max_length=10)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    answers: dict[str, AnswerValue] = Field(default_factory=dict, max_length=300)
    links: LinksIn | None = None


class ReportPatch(WriteSchema):
    """A partial update. `lock_version` must be the one last read: a stale one is refused (409)."""

    lock_version: int = Field(..., ge=1, le=2**31)
    title: str | None = Field(None, min_length=1, max_length=500)
    address: str | None = Field(None, max_length=500)
    postcode: str | None = Field(None, max_length=10)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    answers: dict[str, AnswerValue] | None = Field(None, max_length=300)
    links: LinksIn | None = None


class SubmitIn(Schema):
    lock_version: int = Field(..., ge=1, le=2**31)


class AuthorReport(Schema):
    id: int
    title: str
    status: str
    status_label: str
    team: str
    questionnaire: str
    project_code: str
    lock_version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    answers: dict[str, AnswerValue]


class AuthorReportPage(PageMeta):
    results: list[AuthorReport]
