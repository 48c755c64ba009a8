from django.apps import AppConfig


def _report_changed(sender, *, report_ids, reason, **kwargs) -> None:
    from .events import on_report_changed

    on_report_changed(report_ids=report_ids, reason=reason)


def _official_changes(sender, *, change_ids, **kwargs) -> None:
    from .tasks import record_insight_events

    record_insight_events.enqueue(change_ids=sorted(change_ids))


def _discrepancies(sender, *, discrepancy_ids, **kwargs) -> None:
    from .tasks import record_insight_events

    record_insight_events.enqueue(discrepancy_ids=sorted(discrepancy_ids))


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
        # Official-data changes and discrepancies (insights app) reach followers too.
        from monitora.insights.signals import discrepancies_found, official_changes_recorded

        official_changes_recorded.connect(_official_changes, dispatch_uid="follows.official_changes")
        discrepancies_found.connect(_discrepancies, dispatch_uid="follows.discrepancies")
