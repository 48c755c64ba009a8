from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "monitora.imports"
    label = "imports"
    verbose_name = _("Qualità dei dati importati")

    def ready(self) -> None:
        from monitora.core.permissions import register

        from .permissions import RULES

        register(RULES)
