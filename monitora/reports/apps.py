from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "monitora.reports"
    label = "reports"
    verbose_name = "Report di monitoraggio"
