from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "monitora.stats"
    label = "stats"
    verbose_name = "Statistiche"
