from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "monitora.accounts"
    label = "accounts"
    verbose_name = "Account"
