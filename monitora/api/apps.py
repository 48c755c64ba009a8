from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "monitora.api"
    label = "api"
    verbose_name = "API"
