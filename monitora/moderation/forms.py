"""Editors' forms: per-field comments, notes to the authors, the reason of a withdrawal."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from monitora.reports.labels import comment_field_choices


class ReviewCommentForm(forms.Form):
    field_key = forms.ChoiceField(label=_("Campo"))
    text = forms.CharField(label=_("Commento"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args: Any, questionnaire_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The questionnaire's labels, grouped by section; the posted value is still the key.
        self.fields["field_key"].choices = comment_field_choices(questionnaire_code)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Nota per gli autori"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class UnpublishForm(forms.Form):
    note = forms.CharField(
        label=_("Motivo del ritiro (lo leggono gli autori)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
