"""The admin login counts failures in the site login's limit (allauth `login_failed`).

Before, /admin/login/ took any number of wrong passwords while /account/login/ was throttled. Now
the admin form authenticates through allauth's adapter, which counts per client address and per
account (the e-mail), so a password guessed on one page is counted on the other too.
"""

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    username = forms.CharField(label=_("E-mail o nome utente"), max_length=254)

    def clean(self):
        login = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        if login and password:
            user = (
                get_user_model()
                .objects.filter(Q(email__iexact=login) | Q(username=login))
                .order_by("pk")
                .first()
            )
            # The key is the account's e-mail, as on the site login, whatever was typed here.
            email = user.email if user is not None and user.email else login
            adapter = get_adapter(self.request)
            self.user_cache = adapter.authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
