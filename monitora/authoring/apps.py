from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "monitora.authoring"
    verbose_name = "Scrittura dei report"
