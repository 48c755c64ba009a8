from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataQualityConfig(AppConfig):
    name = "monitora.dataquality"
    label = "dataquality"
    verbose_name = _("Qualità dei dati importati")
