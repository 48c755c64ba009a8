from django.apps import AppConfig


def _enqueue_reports(sender, *, report_ids, **kwargs) -> None:
    from .tasks import reindex_reports

    reindex_reports.enqueue(sorted(report_ids))


def _enqueue_projects(sender, *, project_ids, **kwargs) -> None:
    from .tasks import reindex_projects

    reindex_projects.enqueue(sorted(project_ids))


def _team_saved(sender, *, instance, created, **kwargs) -> None:
    """The author-category facet comes from the team: an edit (admin) reindexes its reports."""
    from monitora.reports.changes import reports_changed

    if not created:
        reports_changed(instance.reports.values_list("pk", flat=True), reason="team.changed")


class SearchConfig(AppConfig):
    name = "monitora.search"
    label = "search"
    verbose_name = "Ricerca"

    def ready(self) -> None:
        """The index follows the data by itself: both hooks fire on commit and queue a reindex."""
        from django.db.models.signals import post_save

        from monitora.catalogue.changes import project_changed
        from monitora.reports.changes import report_changed
        from monitora.teams.models import Team

        report_changed.connect(_enqueue_reports, dispatch_uid="search.reindex_reports")
        project_changed.connect(_enqueue_projects, dispatch_uid="search.reindex_projects")
        post_save.connect(_team_saved, sender=Team, dispatch_uid="search.team_saved")
