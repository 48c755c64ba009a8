from django.apps import AppConfig


def _enqueue_reports(sender, *, report_ids, **kwargs) -> None:
    from .tasks import reindex_reports

    reindex_reports.enqueue(sorted(report_ids))


def _enqueue_projects(sender, *, project_ids, **kwargs) -> None:
    from .tasks import reindex_projects

    reindex_projects.enqueue(sorted(project_ids))


class SearchConfig(AppConfig):
    name = "monitora.search"
    label = "search"
    verbose_name = "Ricerca"

    def ready(self) -> None:
        """The index follows the data by itself: both hooks fire on commit and queue a reindex."""
        from monitora.catalogue.changes import project_changed
        from monitora.reports.changes import report_changed

        report_changed.connect(_enqueue_reports, dispatch_uid="search.reindex_reports")
        project_changed.connect(_enqueue_projects, dispatch_uid="search.reindex_projects")
