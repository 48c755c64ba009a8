"""Read a report in the published text layout back into raw answers of a questionnaire version.

The layout is the one `monitora.reports.textformat.render` prints and the Monithon public page
shows: banner, title, "Inviato il dd/mm/yyyy | Di <author> | @handle", then headings in a fixed
order. A heading is a line equal to one of the known headings, after a blank line, later in the
order than the last one seen (so a paragraph that happens to read "Rischi" further up cannot be
mistaken for a heading). Closed answers are printed as their labels and read back by matching the
questionnaire's labels.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from monitora.questionnaires.spec import Kind, QuestionnaireSpec, QuestionSpec
from monitora.reports import selectors as s

from ..errors import ImportIssue

HEADINGS = (
    s.HEADING_DESCRIPTION,
    s.HEADING_FINDINGS,
    s.HEADING_PROGRESS,
    s.HEADING_RESULTS,
    s.HEADING_WEAKNESSES,
    s.HEADING_STRENGTHS,
    s.HEADING_RISKS,
    s.HEADING_SOLUTIONS,
    s.HEADING_GENDER,
    s.HEADING_IMPACT,
    s.HEADING_METHOD,
    s.HEADING_QUESTIONS,
    s.HEADING_ANSWERS,
)


def required_headings(spec: QuestionnaireSpec) -> tuple[str, ...]:
    """The core of every report: what the project is, how far it got, what it achieved."""
    first = s.HEADING_DESCRIPTION if spec.question("descrizione") else s.HEADING_FINDINGS
    return (first, s.HEADING_PROGRESS, s.HEADING_RESULTS)


PLAIN_SECTIONS = {
    s.HEADING_DESCRIPTION: "descrizione",
    s.HEADING_WEAKNESSES: "punti_deboli",
    s.HEADING_STRENGTHS: "punti_di_forza",
    s.HEADING_RISKS: "rischi",
    s.HEADING_SOLUTIONS: "soluzioni_progetto",
    s.HEADING_QUESTIONS: "intervista_domande",
    s.HEADING_ANSWERS: "intervista_risposte",
}
PROBLEMS_TITLE = "Problemi rilevati"
BULLET_CHARS = "•·"
META = re.compile(r"^Inviato il\s+(?P<date>\S+)\s*(?P<rest>.*)$", re.IGNORECASE)


@dataclass
class Paragraph:
    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def is_bullets(self) -> bool:
        return all(line.lstrip()[:1] in BULLET_CHARS and line.strip() for line in self.lines)

    @property
    def items(self) -> list[str]:
        return [line.strip()[1:].strip() for line in self.lines]


@dataclass
class ParsedText:
    title: str = ""
    sent_on: dt.date | None = None
    author: str = ""
    handle: str = ""
    answers: dict[str, str | bool] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    has_impact: bool = False
    issues: list[ImportIssue] = field(default_factory=list)


def normalise(text: str) -> str:
    """Compare labels ignoring case, spacing and the typographic apostrophe."""
    return " ".join(text.replace("’", "'").split()).casefold()


def paragraphs(lines: list[tuple[int, str]]) -> list[Paragraph]:
    result: list[Paragraph] = []
    current: Paragraph | None = None
    for number, line in lines:
        if not line.strip():
            current = None
            continue
        if current is None:
            current = Paragraph(number, [])
            result.append(current)
        current.lines.append(line.rstrip())
    return result


def _join(paras: list[Paragraph]) -> str:
    return "\n\n".join(p.text for p in paras)


class _Reader:
    def __init__(self, text: str, *, filename: str, spec: QuestionnaireSpec):
        self.filename = filename
        self.spec = spec
        self.out = ParsedText()
        self.lines = [(number, line.rstrip()) for number, line in enumerate(text.splitlines(), start=1)]

    def issue(self, line: int | None, field_name: str, reason: str) -> None:
        self.out.issues.append(ImportIssue(self.filename, line, field_name, reason))

    def put(self, key: str, value: str | bool, line: int) -> None:
        if value == "":
            return
        self.out.answers[key] = value
        self.out.lines[key] = line

    def put_text(self, key: str, paras: list[Paragraph]) -> None:
        if paras:
            self.put(key, _join(paras), paras[0].line)

    # --- header -------------------------------------------------------------------------------

    def read_header(self) -> int:
        """Parse banner, title and meta line; return the index of the first body line."""
        body = [(i, n, line) for i, (n, line) in enumerate(self.lines) if line.strip()]
        if not body or normalise(body[0][2]) != normalise(s.REPORT_BANNER):
            first = body[0][1] if body else 1
            self.issue(first, "intestazione", f"la prima riga deve essere {s.REPORT_BANNER!r}")
            return 0
        title: list[str] = []
        for index, number, line in body[1:]:
            match = META.match(line.strip())
            if match:
                self.out.title = " ".join(title)
                self.out.lines.update({"title": body[0][1] + 1, "meta": number})
                self.read_meta(number, match)
                return index + 1
            if line.strip() in HEADINGS:
                break
            title.append(line.strip())
        self.issue(body[0][1] + 1, "Inviato il", "manca la riga 'Inviato il gg/mm/aaaa | Di … | @…'")
        self.out.title = " ".join(title)
        return body[0][0] + 1 + len(title)

    def read_meta(self, number: int, match: re.Match[str]) -> None:
        if not self.out.title:
            self.issue(number, "titolo", "manca il titolo tra l'intestazione e la riga 'Inviato il'")
        raw_date = match["date"]
        try:
            self.out.sent_on = dt.datetime.strptime(raw_date, "%d/%m/%Y").date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            self.issue(number, "Inviato il", f"data non valida {raw_date!r}: atteso gg/mm/aaaa")
        for part in (p.strip() for p in match["rest"].split("|")):
            if not part:
                continue
            if part.startswith("@"):
                self.out.handle = part[1:].strip()
            elif part[:3].casefold() == "di ":
                self.out.author = part[3:].strip()
            else:
                self.issue(number, "Inviato il", f"parte non riconosciuta {part!r} (attese 'Di …' e '@…')")

    # --- body ---------------------------------------------------------------------------------

    def split_sections(self, start: int) -> dict[str, tuple[int, list[Paragraph]]]:
        sections: dict[str, tuple[int, list[tuple[int, str]]]] = {}
        position = -1
        current: list[tuple[int, str]] | None = None
        previous_blank = True
        for number, line in self.lines[start:]:
            stripped = line.strip()
            later = HEADINGS[position + 1 :]
            if previous_blank and stripped in later:
                position = HEADINGS.index(stripped)
                current = []
                sections[stripped] = (number, current)
            elif previous_blank and stripped in HEADINGS:
                order = " → ".join(HEADINGS)
                self.issue(number, stripped, f"sezione ripetuta o fuori ordine (ordine atteso: {order})")
            elif current is not None:
                current.append((number, line))
            elif stripped:
                self.issue(number, "(testo)", "testo fuori da ogni sezione: manca un titolo di sezione prima")
            previous_blank = not stripped
        return {h: (n, paragraphs(body)) for h, (n, body) in sections.items()}

    def check_required(self, sections: dict[str, tuple[int, list[Paragraph]]]) -> None:
        last = self.lines[-1][0] if self.lines else 1
        for heading in required_headings(self.spec):
            if heading in sections:
                continue
            after = [sections[h][0] for h in HEADINGS[HEADINGS.index(heading) + 1 :] if h in sections]
            self.issue(
                after[0] if after else last,
                heading,
                f"sezione obbligatoria mancante: serve una riga {heading!r} (preceduta da una riga vuota)",
            )

    def option_for(self, question: QuestionSpec, text: str, *, variants: bool = False) -> str:
        wanted = normalise(text)
        for option in question.options:
            labels = [option.label_it, *(option.variants.values() if variants else ())]
            if any(normalise(label) == wanted for label in labels):
                return option.code
        return ""

    def leading_options(self, paras: list[Paragraph], keys: tuple[str, ...]) -> list[Paragraph]:
        """Consume leading paragraphs that are labels of the given closed questions."""
        for key in keys:
            question = self.spec.question(key)
            if question is None or not paras:
                continue
            code = self.option_for(question, paras[0].text, variants=bool(question.variant_of))
            if code:
                self.put(key, code, paras[0].line)
                paras = paras[1:]
        return paras

    def ticked(self, paragraph: Paragraph, questions: list[QuestionSpec], what: str) -> None:
        by_label = {normalise(q.label_it): q.key for q in questions}
        for q in questions:
            if q.key in s.METHOD_PAGE_LABELS:
                by_label[normalise(s.METHOD_PAGE_LABELS[q.key])] = q.key
        for offset, item in enumerate(paragraph.items):
            key = by_label.get(normalise(item))
            if key is None:
                allowed = "; ".join(q.label_it for q in questions)
                self.issue(
                    paragraph.line + offset, what, f"opzione sconosciuta {item!r} (ammesse: {allowed})"
                )
            else:
                self.put(key, True, paragraph.line + offset)

    def booleans(self, section: str, *, step: int | None = None) -> list[QuestionSpec]:
        return [
            q
            for q in self.spec.questions
            if q.section == section
            and q.kind == Kind.BOOLEAN
            and (step is None or q.step == step)
            and q.key not in ("media_connection", "admin_connection")
        ]

    def read_findings(self, paras: list[Paragraph]) -> None:
        by_title = {normalise(title): key for key, title in s.FINDINGS_SUBHEADINGS.items()}
        key, collected = "", []
        for para in paras + [Paragraph(0, [])]:
            next_key = by_title.get(normalise(para.text)) if para.lines else "end"
            if next_key:
                if collected:
                    if key:
                        self.put_text(key, collected)
                    else:
                        self.issue(collected[0].line, s.HEADING_FINDINGS, "testo senza sottotitolo")
                key, collected = next_key, []
            else:
                collected.append(para)

    def read_results(self, paras: list[Paragraph]) -> None:
        paras = self.leading_options(paras, ("gs", "valutazione_risultati"))
        for index, para in enumerate(paras):
            if normalise(para.text) == normalise(PROBLEMS_TITLE) and index + 1 < len(paras):
                if paras[index + 1].is_bullets:
                    self.ticked(paras[index + 1], self.booleans("problemi"), PROBLEMS_TITLE)
                    paras = paras[:index] + paras[index + 2 :]
                    break
        self.put_text("risultato_progetto", paras)

    def read_gender(self, paras: list[Paragraph]) -> None:
        questions = [q for q in self.spec.questions if q.section == "genere"]
        last_text = ""
        for para in paras:
            text = para.text
            question = next((q for q in questions if normalise(text).startswith(normalise(q.label_it))), None)
            if question is None:
                if last_text:
                    self.put(last_text, f"{self.out.answers[last_text]}\n\n{text}", self.out.lines[last_text])
                else:
                    self.issue(para.line, s.HEADING_GENDER, "risposta senza domanda riconoscibile")
                continue
            value = text.strip()[len(question.label_it) :].strip()
            if question.kind == Kind.CHOICE:
                code = self.option_for(question, value)
                if not code:
                    allowed = "; ".join(o.label_it for o in question.options)
                    self.issue(para.line, question.key, f"opzione sconosciuta {value!r} (ammesse: {allowed})")
                self.put(question.key, code, para.line)
                last_text = ""
            else:
                self.put(question.key, value, para.line)
                last_text = question.key

    def read_impact(self, paras: list[Paragraph]) -> None:
        self.out.has_impact = True
        questions = [
            q for sec in ("diffusione", "media", "amministrazioni") for q in self.booleans(sec, step=3)
        ]
        texts = []
        for para in paras:
            if para.is_bullets:
                self.ticked(para, questions, s.HEADING_IMPACT)
            else:
                texts.append(para)
        self.put_text("impact_description", texts)

    def read_method(self, paras: list[Paragraph]) -> None:
        if paras and normalise(paras[0].text) == normalise(s.METHOD_QUESTION):
            paras = paras[1:]
        while paras and paras[0].is_bullets:
            self.ticked(paras[0], self.booleans("metodo"), s.HEADING_METHOD)
            paras = paras[1:]
        questionnaire_ticked = any(
            self.out.answers.get(k) for k in ("questionario_utenti", "questionario_altri")
        )
        if self.spec.question("questionario_extra") and questionnaire_ticked and len(paras) > 1:
            self.put_text("questionario_extra", paras[:1])
            paras = paras[1:]
        self.put_text("intervista_intervistati", paras)

    def read(self) -> ParsedText:
        start = self.read_header()
        sections = self.split_sections(start)
        self.check_required(sections)
        for heading, (_, paras) in sections.items():
            if heading in PLAIN_SECTIONS:
                self.put_text(PLAIN_SECTIONS[heading], paras)
            elif heading == s.HEADING_FINDINGS:
                self.read_findings(paras)
            elif heading == s.HEADING_PROGRESS:
                rest = self.leading_options(
                    paras, ("stato_di_avanzamento", "stato_di_avanzamento_infrastrutturale")
                )
                self.put_text("avanzamento", rest)
            elif heading == s.HEADING_RESULTS:
                self.read_results(paras)
            elif heading == s.HEADING_GENDER:
                self.read_gender(paras)
            elif heading == s.HEADING_IMPACT:
                self.read_impact(paras)
            elif heading == s.HEADING_METHOD:
                self.read_method(paras)
        return self.out


def parse_report_text(text: str, *, filename: str, spec: QuestionnaireSpec) -> ParsedText:
    """Parse the whole text; problems are collected in `issues` (never raised one by one)."""
    return _Reader(text, filename=filename, spec=spec).read()
