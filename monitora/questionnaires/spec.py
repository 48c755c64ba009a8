"""Typed building blocks of a questionnaire definition.

A questionnaire version is plain data (see `definitions.py`); it is mirrored into the database by a
migration so answers can reference questions and options by foreign key, and validated in memory by
`validation.clean_answers`, the one piece of code every entry point uses.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    LONGTEXT = "longtext"
    CHOICE = "choice"
    BOOLEAN = "boolean"
    URL = "url"


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label_it: str
    label_en: str = ""
    short_label_it: str = ""
    help_it: str = ""
    # Labels that depend on another answer, e.g. the effectiveness judgement depends on the
    # progress state: {"3": "Potenzialmente efficace", ...} keyed by the other option's code.
    variants: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: Kind
    label_it: str
    label_en: str = ""
    step: int = 2
    section: str = ""
    required: bool = False
    options: tuple[OptionSpec, ...] = ()
    help_it: str = ""
    # Shown only when another question has one of these option codes: {"question": [codes]}.
    # The key "project_cup_nature" refers to the project's CUP nature instead of an answer.
    condition: dict[str, list[str]] = field(default_factory=dict)
    # Which other question's answer selects the option label variant.
    variant_of: str = ""
    max_length: int = 20000

    def option(self, code: str) -> OptionSpec | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class QuestionnaireSpec:
    code: str
    name: str
    valid_from: str
    valid_to: str
    questions: tuple[QuestionSpec, ...]

    def question(self, key: str) -> QuestionSpec | None:
        return next((q for q in self.questions if q.key == key), None)

    def option_label(self, key: str, code: str, *, variant: str = "") -> str:
        """A closed answer's label as this version words it; `variant` is the code of the answer
        that selects the wording (`QuestionSpec.variant_of`). "" for an unknown question or code."""
        question = self.question(key)
        option = question.option(code) if question is not None and code else None
        if option is None:
            return ""
        return option.variants.get(variant, option.label_it) if variant else option.label_it

    @property
    def keys(self) -> list[str]:
        return [q.key for q in self.questions]
