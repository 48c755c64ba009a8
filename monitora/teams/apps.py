from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "monitora.teams"
    label = "teams"
    verbose_name = "Team"

    def ready(self) -> None:
        from monitora.core.permissions import register

        from .permissions import RULES

        register(RULES)
