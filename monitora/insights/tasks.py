"""Background work of the insights app, queued by the catalogue and report hooks (see apps.py)."""

from django.tasks import task

from monitora.catalogue.models import ImportRun

from . import discrepancies, official, similarity


@task
def projects_refresh(project_ids: list[int], *, reason: str = "", import_run_id: int | None = None) -> dict:
    """After an import: record official changes of reported projects, then re-run the rules on them."""
    run = ImportRun.objects.filter(pk=import_run_id).first() if import_run_id else None
    changes = official.record_official_changes(project_ids=project_ids, import_run=run)
    reported = official.reported_projects(project_ids)
    counts = discrepancies.discrepancies_compute(project_ids=reported) if reported else {}
    return {"changes": len(changes), **counts}


@task
def reports_refresh(report_ids: list[int]) -> dict:
    """After a publish (or any report change): baselines, discrepancies and similar reports."""
    from monitora.reports.models import Report

    project_ids: set[int] = set()
    for start in range(0, len(report_ids), 5000):
        chunk = report_ids[start : start + 5000]
        on_projects = Report.objects.filter(pk__in=chunk, project__isnull=False)
        project_ids.update(on_projects.values_list("project_id", flat=True))
    official.baseline_seed(project_ids=project_ids)
    counts = discrepancies.discrepancies_compute(report_ids=report_ids)
    similarity.index_reports(report_ids=report_ids)
    return counts
