"""Reads of reports, and the one document layout that the page, the text export and the PDF share."""

from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models
from django.utils import timezone

from monitora.core.compiled import Bind, CompiledQuery
from monitora.questionnaires.definitions import get_spec
from monitora.questionnaires.spec import QuestionnaireSpec

from .authorship import public_byline, public_handle
from .models import REPORT_PAGE_UNREAD, Answer, Report

# Headings of the published report, verbatim from the Monithon public page.
HEADING_DESCRIPTION = "Descrizione"
HEADING_FINDINGS = "Cosa abbiamo scoperto"
HEADING_PROGRESS = "Avanzamento"
HEADING_RESULTS = "Risultati"
HEADING_WEAKNESSES = "Punti di debolezza"
HEADING_STRENGTHS = "Punti di forza"
HEADING_RISKS = "Rischi"
HEADING_SOLUTIONS = "Soluzioni e Idee"
HEADING_GENDER = "Parità di genere"
HEADING_IMPACT = "Risultati e impatto del monitoraggio"
HEADING_METHOD = "Metodo di indagine"
METHOD_QUESTION = "Come sono state raccolte le informazioni?"
HEADING_QUESTIONS = "Domande principali"
HEADING_ANSWERS = "Risposte principali"
REPORT_BANNER = "REPORT DI MONITORAGGIO CIVICO"

FINDINGS_SUBHEADINGS = {
    "obiettivi": "Obiettivi",
    "attivita": "Attività previste",
    "origine": "Origine",
    "soggetti_beneficiari": "Soggetti Beneficiari",
    "contesto": "Contesto",
}
# The public page words one method differently from the form.
METHOD_PAGE_LABELS = {
    "intervista_utenti_beneficiari": "Intervista con gli utenti/beneficiari dell'intervento",
}


def report_raw_answers(report: Report) -> dict[str, Any]:
    """Stored answers as the raw values `clean_answers` accepts: option code, bool or text."""
    raw: dict[str, Any] = {}
    for answer in report.answers.select_related("question", "option"):
        if answer.option_id:
            raw[answer.question.key] = answer.option.code
        elif answer.boolean is not None:
            raw[answer.question.key] = answer.boolean
        else:
            raw[answer.question.key] = answer.text
    return raw


# What the report page and its PDF read of a report's relations: not the project's catalogue JSON.
_PAGE_RELATIONS = {"project": ("code", "removed_at"), "team": ("name",), "questionnaire": ("code",)}
_PAGE_OWN = [f.attname for f in Report._meta.concrete_fields if f.name not in REPORT_PAGE_UNREAD]
_PUBLISHED_FOR_PAGE = CompiledQuery(
    lambda: (
        Report.objects.published()
        .filter(pk=Bind("report", models.BigIntegerField()))
        .order_by()
        .values(*_PAGE_OWN, *(f"{rel}__{name}" for rel, names in _PAGE_RELATIONS.items() for name in names))
    )
)


def _instance(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """A model instance with only these fields loaded, as `.only()` would give it."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


def published_report_for_page(report_id: int) -> Report | None:
    """The published report with what its page and PDF show of the project, team and
    questionnaire, in one statement compiled once per process (`core.compiled`): the page's first
    read, on every uncached view."""
    rows = _PUBLISHED_FOR_PAGE(report=report_id)
    if not rows:
        return None
    row = rows[0]
    report = _instance(Report, {name: row[name] for name in _PAGE_OWN})
    for relation, names in _PAGE_RELATIONS.items():
        related_id = getattr(report, f"{relation}_id")
        if related_id is not None:
            related = Report._meta.get_field(relation).related_model
            values = {"id": related_id} | {name: row[f"{relation}__{name}"] for name in names}
            setattr(report, relation, _instance(related, values))
    return report


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """One stored answer as the layouts read it: text, boolean, or the chosen option's code and
    Italian label (`option_code` is None for an open or yes/no answer)."""

    text: str
    boolean: bool | None
    option_code: str | None
    option_label: str | None


_ANSWER_VALUES = CompiledQuery(
    lambda: Answer.objects.filter(report_id=Bind("report", models.BigIntegerField())).values_list(
        "question__key", "text", "boolean", "option__code", "option__label_it"
    )
)


def report_answer_map(report: Report) -> dict[str, StoredAnswer]:
    """Answers by question key. Plain values rather than `Answer` rows with their question and
    option: an uncached report page reads them all, and three model instances a row cost it time."""
    rows = _ANSWER_VALUES(report=report.pk)
    return {key: StoredAnswer(text, boolean, code, label) for key, text, boolean, code, label in rows}


@dataclass
class Block:
    """A piece of a section: a paragraph of text, a labelled value or a bullet list."""

    kind: str  # "text" | "label" | "bullets" | "subheading"
    text: str = ""
    items: list[str] = field(default_factory=list)
    key: str = ""


@dataclass
class Section:
    heading: str
    slug: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ReportDocument:
    title: str
    sent_on: str
    author: str
    handle: str
    sections: list[Section]
    judgement_label: str = ""
    progress_label: str = ""
    overall_label: str = ""


def answer_label(spec: QuestionnaireSpec, key: str, answers: dict[str, StoredAnswer]) -> str:
    """The label of a closed answer in the report's version (`QuestionnaireSpec.option_label`)."""
    answer, question = answers.get(key), spec.question(key)
    if answer is None or answer.option_code is None or question is None:
        return ""
    other = answers.get(question.variant_of) if question.variant_of else None
    variant = (other.option_code or "") if other is not None else ""
    return spec.option_label(key, answer.option_code, variant=variant) or answer.option_label or ""


def _text(answers: dict[str, StoredAnswer], key: str) -> list[Block]:
    answer = answers.get(key)
    if answer is None or not answer.text:
        return []
    return [Block("text", text=answer.text, key=key)]


def report_document(
    report: Report,
    *,
    include_impact: bool | None = None,
    public: bool = True,
    answers: dict[str, StoredAnswer] | None = None,
) -> ReportDocument:
    """Lay out a report in the order of the published Monithon page (and the example text).

    `public=False` keeps the stored author line (the operators' text export, which must read back
    identically); every reader-facing layout applies `authorship`'s public-name rule. `answers`:
    the `report_answer_map` when the caller reads it anyway (the public page's sidebar)."""
    spec = get_spec(report.questionnaire.code)
    if answers is None:
        answers = report_answer_map(report)
    if include_impact is None:
        include_impact = report.impact_is_public
    sections: list[Section] = []

    def add(heading: str, slug: str, blocks: list[Block], always: bool = False) -> None:
        if blocks or always:
            sections.append(Section(heading, slug, blocks))

    add(HEADING_DESCRIPTION, "descrizione", _text(answers, "descrizione") + _text(answers, "parte_di_piano"))
    findings: list[Block] = []
    for key, subheading in FINDINGS_SUBHEADINGS.items():
        text = _text(answers, key)
        if text:
            findings += [Block("subheading", text=subheading), *text]
    add(HEADING_FINDINGS, "scoperto", findings, always=True)

    progress: list[Block] = []
    for key in ("stato_di_avanzamento", "stato_di_avanzamento_infrastrutturale"):
        label = answer_label(spec, key, answers)
        if label:
            progress.append(Block("label", text=label, key=key))
    add(HEADING_PROGRESS, "avanzamento", progress + _text(answers, "avanzamento"))

    judgement = answer_label(spec, "gs", answers) or answer_label(spec, "valutazione_risultati", answers)
    results: list[Block] = []
    if judgement:
        results.append(
            Block("label", text=judgement, key="gs" if "gs" in answers else "valutazione_risultati")
        )
    results += _text(answers, "risultato_progetto")
    problems = [
        q.label_it
        for q in spec.questions
        if q.section == "problemi" and answers.get(q.key) and answers[q.key].boolean
    ]
    if problems:
        results.append(Block("bullets", text="Problemi rilevati", items=problems, key="problemi"))
    add(HEADING_RESULTS, "risultati", results)
    add(HEADING_WEAKNESSES, "punti-deboli", _text(answers, "punti_deboli"))
    add(HEADING_STRENGTHS, "punti-forza", _text(answers, "punti_di_forza"))
    add(HEADING_RISKS, "rischi", _text(answers, "rischi"))
    add(HEADING_SOLUTIONS, "soluzioni", _text(answers, "soluzioni_progetto"))

    gender: list[Block] = []
    for question in spec.questions:
        if question.section != "genere" or question.key not in answers:
            continue
        value = answer_label(spec, question.key, answers) or answers[question.key].text
        gender.append(Block("label", text=f"{question.label_it} {value}", key=question.key))
    add(HEADING_GENDER, "genere", gender)

    if include_impact:
        impact: list[Block] = []
        for section in ("diffusione", "media", "amministrazioni"):
            ticked = [
                q.label_it
                for q in spec.questions
                if q.section == section
                and q.kind == "boolean"
                and q.key not in ("media_connection", "admin_connection")
                and answers.get(q.key)
                and answers[q.key].boolean
            ]
            if ticked:
                impact.append(Block("bullets", items=ticked, key=section))
        for key in ("diffusione_altro", "media_other", "admin_altro", "impact_description"):
            impact += _text(answers, key)
        add(HEADING_IMPACT, "impatto", impact)

    methods = [
        METHOD_PAGE_LABELS.get(q.key, q.label_it)
        for q in spec.questions
        if q.section == "metodo" and q.kind == "boolean" and answers.get(q.key) and answers[q.key].boolean
    ]
    method_blocks: list[Block] = []
    if methods:
        method_blocks.append(Block("bullets", text=METHOD_QUESTION, items=methods, key="metodo"))
    method_blocks += _text(answers, "questionario_extra") + _text(answers, "intervista_intervistati")
    add(HEADING_METHOD, "metodo", method_blocks)
    add(HEADING_QUESTIONS, "domande", _text(answers, "intervista_domande"))
    add(HEADING_ANSWERS, "risposte", _text(answers, "intervista_risposte"))

    sent = report.submitted_at or report.published_at
    stored_author = report.author_name or (report.team.name if report.team else "")
    return ReportDocument(
        title=report.title,
        sent_on=timezone.localtime(sent).strftime("%d/%m/%Y") if sent else "",
        author=public_byline(report) if public else stored_author,
        handle=public_handle(report) if public else report.handle,
        sections=sections,
        judgement_label=judgement,
        progress_label=answer_label(spec, "stato_di_avanzamento", answers),
        overall_label=answer_label(spec, "giudizio_sintetico", answers),
    )
