from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "monitora.opendata"
    label = "opendata"
    verbose_name = "Open data"
