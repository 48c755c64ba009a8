from django.apps import AppConfig


def _projects_changed(sender, *, project_ids, reason="", **kwargs) -> None:
    from .tasks import projects_refresh

    projects_refresh.enqueue(sorted(project_ids), reason=reason, import_run_id=kwargs.get("import_run_id"))


def _reports_changed(sender, *, report_ids, reason="", **kwargs) -> None:
    from .tasks import reports_refresh

    reports_refresh.enqueue(sorted(report_ids))


class InsightsConfig(AppConfig):
    name = "monitora.insights"
    label = "insights"
    verbose_name = "Cosa è successo dopo"

    def ready(self) -> None:
        """Both hooks fire on commit: official changes, discrepancies and similarity follow the data."""
        from monitora.catalogue.changes import project_changed
        from monitora.core.permissions import register
        from monitora.reports.changes import report_changed

        from .permissions import RULES

        register(RULES)
        project_changed.connect(_projects_changed, dispatch_uid="insights.projects_changed")
        report_changed.connect(_reports_changed, dispatch_uid="insights.reports_changed")
