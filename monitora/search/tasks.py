"""Background refresh of the search index, queued by the change hooks (see apps.py)."""

from django.tasks import task

from monitora.core.pagecache import bump
from monitora.reports.changes import REPORTS_SCOPE
from monitora.reports.models import Report

from .services import report_search_sync


@task
def reindex_reports(report_ids: list[int]) -> tuple[int, int]:
    """Bring the index rows of these reports in line with the database: (indexed, removed)."""
    done = report_search_sync(report_ids)
    bump([REPORTS_SCOPE])  # search, map and statistics read the index: drop what was cached meanwhile
    return done


@task
def reindex_projects(project_ids: list[int]) -> tuple[int, int]:
    """Theme, cycle and territory facets come from the project: reindex every report on it."""
    ids = Report.objects.filter(project_id__in=project_ids).values_list("pk", flat=True)
    done = report_search_sync(ids)
    bump([REPORTS_SCOPE])
    return done
