"""Profile and GDPR pages (sign-up, login, reset are allauth's)."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import ConfirmDeleteForm, ProfileForm


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    current = services.profile_get(request.user)
    form = ProfileForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=request.user, **{f: form.cleaned_data[f] for f in ProfileForm.Meta.fields}
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Profilo aggiornato."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "profile": current})


@login_required
def data_download(request: HttpRequest) -> HttpResponse:
    """The person's own data as a JSON attachment; needs the session, so the URL is not replayable."""
    data = services.user_data_export(user=request.user, by=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="monitora-dati-personali.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = ConfirmDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=request.user, by=request.user)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            logout(request)
            messages.success(request, _("Account eliminato. I report pubblicati restano al team."))
            return redirect("public:home")
    return render(request, "accounts/delete.html", {"form": form})
