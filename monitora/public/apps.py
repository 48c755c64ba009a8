from django.apps import AppConfig


def _reports_changed(sender, *, report_ids, **kwargs) -> None:
    """A report changed: its own page and every list, count and feed of reports are recomputed."""
    from monitora.core.pagecache import bump
    from monitora.reports.changes import REPORTS_SCOPE, report_scope

    bump([REPORTS_SCOPE, *(report_scope(pk) for pk in report_ids)])


def _projects_changed(sender, *, project_ids, **kwargs) -> None:
    """Project data appears on project pages, report pages and (through the index) in the lists."""
    from monitora.catalogue.changes import CATALOGUE_SCOPE
    from monitora.core.pagecache import bump
    from monitora.reports.changes import REPORTS_SCOPE

    bump([CATALOGUE_SCOPE, REPORTS_SCOPE])


class PublicConfig(AppConfig):
    name = "monitora.public"
    label = "public"
    verbose_name = "Sito pubblico"

    def ready(self) -> None:
        """The page cache follows the data through the two change hooks (sent on commit)."""
        from monitora.catalogue.changes import project_changed
        from monitora.reports.changes import report_changed

        report_changed.connect(_reports_changed, dispatch_uid="public.pagecache_reports")
        project_changed.connect(_projects_changed, dispatch_uid="public.pagecache_projects")
        report_changed.connect(_queue_pdfs, dispatch_uid="public.report_pdfs")


def _queue_pdfs(sender, *, report_ids, **kwargs) -> None:
    """Published reports get their PDF rendered in the background, once per version."""
    from django.conf import settings

    if settings.REPORT_PDF_PRERENDER:
        from .tasks import render_report_pdfs

        render_report_pdfs.enqueue(sorted(report_ids))
