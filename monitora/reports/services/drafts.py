"""Authors' writes: create a draft, save it (optimistic locking), save Step 3, delete a draft."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from monitora.catalogue.models import Project
from monitora.core.models import log_action
from monitora.core.permissions import require
from monitora.questionnaires.definitions import CURRENT
from monitora.questionnaires.models import Questionnaire
from monitora.questionnaires.validation import clean_answers
from monitora.teams.models import Team

from ..changes import reports_changed
from ..models import ImpactStatus, Report, ReportLink, ReportStatus
from .fields import clean_author_fields, clean_links, merged_answers, project_centroid
from .writing import report_create, report_update_locked


def _save_links(report: Report, links: dict[str, list[str]]) -> None:
    for kind, urls in links.items():
        report.links.filter(kind=kind).delete()
        ReportLink.objects.bulk_create(
            ReportLink(report=report, kind=kind, url=url, position=i) for i, url in enumerate(urls)
        )


@transaction.atomic
def report_draft_create(*, by: Any, team: Team, project: Project | None, project_code: str = "") -> Report:
    """Start a draft for a project, pre-filled from the catalogue (title, summary, map pin)."""
    require(by, "team.create_report", team)
    lat, lon = project_centroid(project)
    fields = {
        "title": (project.title[:480] if project else "") or _("Nuovo report"),
        "questionnaire": Questionnaire.objects.get(code=CURRENT),
        "project": project,
        "project_code": project.code if project else project_code[:100],
        "opencoesione_url": project.opencoesione_url if project else "",
        "team": team,
        "created_by": by,
        "status": ReportStatus.DRAFT,
        "author_name": team.name,
        "handle": team.handle,
        "latitude": lat,
        "longitude": lon,
    }
    answers = {}
    if project and project.summary:
        answers = clean_answers(CURRENT, {"attivita": project.summary[:20000]})
    return report_create(fields=fields, answers=answers, actor=by, action="report.created")


def report_draft_save(
    *,
    report: Report,
    by: Any,
    fields: dict[str, Any],
    raw_answers: dict[str, Any],
    expected_lock_version: int,
    steps: tuple[int, ...] = (1, 2),
    links: dict[str, Any] | None = None,
) -> Report:
    """Save the answers of `steps` (a page of the form) of a draft or a report sent back.

    Answers of the other steps are kept as stored.
    A stale `expected_lock_version` (someone saved in between) raises ConcurrentEditError and
    writes nothing: the caller shows the user their own input again.
    """
    require(by, "report.edit", report)
    clean = clean_author_fields(fields)
    answers = merged_answers(report, raw_answers, steps=steps)
    clean_link_map = clean_links(links or {})
    with transaction.atomic():
        report_update_locked(
            report,
            expected_lock_version=expected_lock_version,
            expected={"status": report.status},
            changes=clean,
            answers=answers,
        )
        _save_links(report, clean_link_map)
        log_action(report, action="report.draft_saved", actor=by, data={"lock_version": report.lock_version})
        reports_changed([report.pk], reason="report.draft_saved")
    return report


def impact_save(
    *, report: Report, by: Any, raw_answers: dict[str, Any], expected_lock_version: int
) -> Report:
    """Save Step 3 (results and impact) of a published report; it stays private until reviewed."""
    require(by, "impact.edit", report)
    answers = merged_answers(report, raw_answers, steps=(3,))
    current = report.impact_status
    target = ImpactStatus.DRAFT if current == ImpactStatus.NOT_STARTED else current
    with transaction.atomic():
        report_update_locked(
            report,
            expected_lock_version=expected_lock_version,
            expected={"status": ReportStatus.PUBLISHED, "impact_status": current},
            changes={"impact_status": target},
            answers=answers,
        )
        log_action(report, action="impact.draft_saved", actor=by, data={"lock_version": report.lock_version})
        reports_changed([report.pk], reason="impact.draft_saved")
    return report


def report_delete(*, report: Report, by: Any) -> None:
    require(by, "report.delete", report)
    with transaction.atomic():
        log_action(
            report, action="report.deleted", actor=by, data={"status": report.status, "title": report.title}
        )
        reports_changed([report.pk], reason="report.deleted")  # an administrator may delete a published one
        report.delete()
