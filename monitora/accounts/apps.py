from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "monitora.accounts"
    label = "accounts"
    verbose_name = "Account"

    def ready(self) -> None:
        from monitora.core.permissions import register

        from .permissions import RULES

        register(RULES)

        from django.contrib import admin

        from .admin_login import ThrottledAdminLoginForm

        admin.site.login_form = ThrottledAdminLoginForm
