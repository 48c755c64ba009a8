from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "monitora.search"
    label = "search"
    verbose_name = "Ricerca"
