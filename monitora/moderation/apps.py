from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "monitora.moderation"
    label = "moderation"
    verbose_name = "Redazione"
