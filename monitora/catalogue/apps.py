from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "monitora.catalogue"
    label = "catalogue"
    verbose_name = "Catalogo OpenCoesione"
