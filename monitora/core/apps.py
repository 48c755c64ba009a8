from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "monitora.core"
    label = "core"
    verbose_name = "Monitora"
