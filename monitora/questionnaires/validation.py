"""One validator for answers, used by the web form, the importers and the API alike."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ValidationError

from .definitions import get_spec
from .spec import Kind, QuestionSpec

TRUE_WORDS = {"1", "true", "si", "sì", "yes", "on", "vero"}
FALSE_WORDS = {"0", "false", "no", "off", "falso"}


@dataclass(frozen=True)
class CleanAnswer:
    """A validated answer. `None` never appears: unanswered questions are simply absent."""

    key: str
    text: str = ""
    option_code: str = ""
    boolean: bool | None = None


def clean_answer(question: QuestionSpec, value: Any) -> CleanAnswer | None:
    """Return the clean answer, None for "not answered", or raise ValidationError."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if question.kind in (Kind.TEXT, Kind.LONGTEXT, Kind.URL):
        if not isinstance(value, str):
            raise ValidationError("deve essere un testo", code="type")
        if "\x00" in value:
            # PostgreSQL cannot store NUL in text; refuse it here rather than fail at save time.
            raise ValidationError("contiene un carattere nullo (NUL) non ammesso", code="null_character")
        text = value.replace("\r\n", "\n").strip()
        if len(text) > question.max_length:
            raise ValidationError(
                f"troppo lungo ({len(text)} caratteri, massimo {question.max_length})",
                code="max_length",
            )
        if question.kind == Kind.URL:
            parsed = urlparse(text if "://" in text else f"https://{text}")
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise ValidationError(f"URL non valido: {text!r}", code="url")
        return CleanAnswer(question.key, text=text)
    if question.kind == Kind.BOOLEAN:
        if isinstance(value, bool):
            return CleanAnswer(question.key, boolean=value)
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return CleanAnswer(question.key, boolean=True)
        if word in FALSE_WORDS:
            return CleanAnswer(question.key, boolean=False)
        raise ValidationError(f"valore sì/no non riconosciuto: {value!r}", code="boolean")
    if question.kind == Kind.CHOICE:
        code = str(value).strip()
        if question.option(code) is None:
            allowed = ", ".join(o.code for o in question.options)
            raise ValidationError(f"opzione sconosciuta {code!r} (ammesse: {allowed})", code="invalid_choice")
        return CleanAnswer(question.key, option_code=code)
    raise ValidationError(f"tipo di domanda non gestito: {question.kind}")  # pragma: no cover


def _condition_holds(question: QuestionSpec, answers: dict[str, CleanAnswer], cup_nature: str) -> bool:
    if not question.condition:
        return True
    for key, codes in question.condition.items():
        if key == "project_cup_nature":
            if cup_nature in codes:
                return True
            continue
        answer = answers.get(key)
        if answer is None:
            continue
        value = answer.option_code or ("true" if answer.boolean else "false")
        if value in codes:
            return True
    return False


def clean_answers(
    questionnaire_code: str,
    raw: dict[str, Any],
    *,
    require_complete: bool = False,
    cup_nature: str = "",
    steps: tuple[int, ...] = (1, 2, 3),
) -> dict[str, CleanAnswer]:
    """Validate raw answers against a questionnaire version.

    Unknown keys are errors (no silent mass assignment). Drafts may be incomplete; with
    `require_complete` the required questions of `steps` must be answered. Answers to questions
    whose condition does not hold are refused, so hidden questions never carry stale values.
    Raises ValidationError with a dict {key: [messages]} naming every bad field at once.
    """
    spec = get_spec(questionnaire_code)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, CleanAnswer] = {}
    for key in raw:
        if spec.question(key) is None:
            errors.setdefault(key, []).append(f"domanda sconosciuta nel questionario {questionnaire_code}")
    for question in spec.questions:
        if question.key not in raw:
            continue
        try:
            answer = clean_answer(question, raw[question.key])
        except ValidationError as exc:
            errors.setdefault(question.key, []).extend(exc.messages)
            continue
        if answer is not None:
            cleaned[question.key] = answer
    for question in spec.questions:
        if question.key in cleaned and not _condition_holds(question, cleaned, cup_nature):
            errors.setdefault(question.key, []).append(
                "risposta non ammessa: la domanda non si applica alle risposte date"
            )
        if (
            require_complete
            and question.required
            and question.step in steps
            and question.key not in cleaned
            and _condition_holds(question, cleaned, cup_nature)
        ):
            errors.setdefault(question.key, []).append("risposta obbligatoria")
    if errors:
        raise ValidationError(errors)
    return cleaned


def question_applies(question: QuestionSpec, answers: dict[str, CleanAnswer], cup_nature: str = "") -> bool:
    return _condition_holds(question, answers, cup_nature)
