from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "monitora.teams"
    label = "teams"
    verbose_name = "Team"
