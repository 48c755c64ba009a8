"""Forms generated from the questionnaire definition (labels, options, help, conditions).

Field names are `q_<key>` so a question can never collide with a report column; the report
columns an author may set are declared explicitly in ReportFieldsForm. Anything else a client
posts (status, team, author…) has no field to bind to and is ignored.
"""

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from monitora.questionnaires.definitions import get_spec
from monitora.questionnaires.labels import section_title
from monitora.questionnaires.spec import Kind, QuestionSpec
from monitora.questionnaires.validation import clean_answer, question_applies

PREFIX = "q_"


def _label(question: QuestionSpec) -> str:
    if get_language() == "en" and question.label_en:
        return question.label_en
    return question.label_it


def _option_label(option: Any, variant_value: str | None) -> str:
    if variant_value and option.variants.get(variant_value):
        return option.variants[variant_value]
    if get_language() == "en" and option.label_en:
        return option.label_en
    return option.label_it


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReportFieldsForm(forms.Form):
    title = forms.CharField(label=_("Titolo del report"), max_length=500, required=False)
    address = forms.CharField(label=_("Indirizzo"), max_length=500, required=False)
    postcode = forms.CharField(label=_("CAP"), max_length=10, required=False)
    latitude = forms.FloatField(
        label=_("Latitudine"), required=False, min_value=-90, max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip
    longitude = forms.FloatField(
        label=_("Longitudine"), required=False, min_value=-180, max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip


class LinksForm(forms.Form):
    """Sources and videos (links only; files go through the attachments app)."""

    links_source = forms.CharField(
        label=_("Link alle fonti (uno per riga)"), required=False, max_length=25000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    links_video = forms.CharField(
        label=_("Link a video (uno per riga, es. YouTube)"), required=False, max_length=25000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def links(self, posted: set[str]) -> dict[str, str]:
        return {name[6:]: self.cleaned_data[name] for name in self.fields if name in posted}


class AnswersForm(forms.Form):
    """The questions of some steps of a questionnaire version, with the current answers."""

    def __init__(
        self,
        *args: Any,
        code: str,
        steps: tuple[int, ...],
        answers: dict[str, Any],
        cup_nature: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spec = get_spec(code)
        self.steps = steps
        self.cup_nature = cup_nature
        self.questions = [q for q in self.spec.questions if q.step in steps and self._shown(q)]
        for question in self.questions:
            name = PREFIX + question.key
            variant = answers.get(question.variant_of) if question.variant_of else None
            self.fields[name] = self._field(question, variant)
            if question.key in answers:
                value = answers[question.key]
                self.initial[name] = (
                    value if not isinstance(value, bool) or question.kind == Kind.BOOLEAN else ""
                )
            field = self.fields[name]
            field.key = question.key  # read by the template (comments per field, conditions)
            field.condition = ";".join(
                f"{k}={','.join(v)}" for k, v in question.condition.items() if k != "project_cup_nature"
            )

    def _shown(self, question: QuestionSpec) -> bool:
        """Questions tied to the project (works status) only appear when the project matches."""
        codes = question.condition.get("project_cup_nature")
        return codes is None or self.cup_nature in codes

    def _field(self, question: QuestionSpec, variant_value: str | None) -> forms.Field:
        common = {"label": _label(question), "required": False, "help_text": question.help_it}
        if question.kind == Kind.LONGTEXT:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 4}), max_length=question.max_length, **common
            )
        if question.kind in (Kind.TEXT, Kind.URL):
            return forms.CharField(max_length=min(question.max_length, 2000), **common)
        if question.kind == Kind.BOOLEAN:
            return forms.BooleanField(**common)
        choices = [(o.code, _option_label(o, variant_value)) for o in question.options]
        widget = forms.RadioSelect(
            attrs={"data-variants": "1"} if question.variant_of else {},
        )
        field = forms.ChoiceField(choices=[("", _("— non indicato —")), *choices], widget=widget, **common)
        if question.variant_of:
            field.variants = {o.code: o.variants for o in question.options}  # for the template's JS data
        return field

    def raw_answers(self) -> dict[str, Any]:
        """Answers as `clean_answers` expects them, dropping questions whose condition fails.

        Unticked boxes of a shown checklist mean "No" (False), distinct from "not answered".
        """
        raw: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(PREFIX + question.key)
            if question.kind == Kind.BOOLEAN:
                raw[question.key] = bool(value)
            elif value not in (None, ""):
                raw[question.key] = value
        # Conditions: prune until stable (a pruned answer may hide another question).
        changed = True
        while changed:
            changed = False
            clean = {}
            for q in self.questions:
                if q.key in raw:
                    try:
                        answer = clean_answer(q, raw[q.key])
                    except forms.ValidationError:
                        continue
                    if answer is not None:
                        clean[q.key] = answer
            for q in self.questions:
                if q.key in raw and q.condition and not question_applies(q, clean, self.cup_nature):
                    del raw[q.key]
                    changed = True
        return raw

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped: dict[str, list[forms.BoundField]] = {}
        for question in self.questions:
            title = section_title(question.section)
            grouped.setdefault(str(title), []).append(self[PREFIX + question.key])
        return list(grouped.items())


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=_("Risposta ufficiale"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
