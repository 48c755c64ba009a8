from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "monitora.public"
    label = "public"
    verbose_name = "Sito pubblico"
