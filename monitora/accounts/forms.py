from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from monitora.teams.models import AuthorCategory

from .models import Profile


class SignupForm(forms.Form):
    """Extra sign-up field (allauth calls `signup`). The category is never a permission."""

    # allauth adds e-mail and passwords around these: consent comes last, next to the button.
    field_order = ["email", "password1", "password2", "author_category", "privacy"]

    author_category = forms.ChoiceField(
        label=_("In che qualità ti registri?"), choices=AuthorCategory.choices, initial=AuthorCategory.CITIZEN
    )
    privacy = forms.BooleanField(label=_("Ho letto l'informativa sulla privacy e la accetto"), required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Our own markup (no user text): Django's form templates render help text as HTML.
        self.fields["privacy"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("public:privacy"),
            _("Leggi l'informativa sulla privacy (si apre in una nuova scheda)"),
        )

    def signup(self, request, user) -> None:
        Profile.objects.update_or_create(
            user=user, defaults={"author_category": self.cleaned_data["author_category"]}
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["author_category", "display_name", "handle"]
        help_texts = {"handle": _("Facoltativo: il nome con cui firmare pubblicamente (es. @scuola_verdi).")}


class ConfirmDeleteForm(forms.Form):
    confirm = forms.CharField(
        label=_("Scrivi ELIMINA per confermare"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.upper() != "ELIMINA":
            raise forms.ValidationError(_("Scrivi ELIMINA per confermare."))
        return value
