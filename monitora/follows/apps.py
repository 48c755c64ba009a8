from django.apps import AppConfig


def _report_changed(sender, *, report_ids, reason, **kwargs) -> None:
    from .events import on_report_changed

    on_report_changed(report_ids=report_ids, reason=reason)


class FollowsConfig(AppConfig):
    name = "monitora.follows"
    label = "follows"
    verbose_name = "Segui"

    def ready(self) -> None:
        """Permissions, and the hook that turns report changes into notifications for followers."""
        from monitora.core.permissions import register
        from monitora.reports.changes import report_changed

        from .permissions import RULES

        register(RULES)
        report_changed.connect(_report_changed, dispatch_uid="follows.report_changed")
