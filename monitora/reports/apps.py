from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "monitora.reports"
    label = "reports"
    verbose_name = "Report di monitoraggio"

    def ready(self) -> None:
        from monitora.core.permissions import register

        from .permissions import RULES

        register(RULES)
