"""Build published (or not) reports with answers and index them, as the publish service will."""

from typing import Any

from monitora.questionnaires.models import Questionnaire
from monitora.questionnaires.validation import clean_answers
from monitora.reports.models import ReportStatus
from monitora.reports.services import report_save_answers
from monitora.reports.tests.factories import ReportFactory
from monitora.search.services import report_search_index

# Where the test reports are pinned: two cities far apart, for the map and region filters.
CASERTA = {"latitude": 41.0728, "longitude": 14.3264}
TORINO = {"latitude": 45.0703, "longitude": 7.6869}


def make_report(
    *,
    answers: dict[str, Any] | None = None,
    version: str = "v2022",
    status: str = ReportStatus.PUBLISHED,
    **fields: Any,
):
    if status == ReportStatus.PUBLISHED:
        report = ReportFactory(
            published=True, questionnaire=Questionnaire.objects.get(code=version), **fields
        )
    else:
        report = ReportFactory(status=status, questionnaire=Questionnaire.objects.get(code=version), **fields)
    if answers:
        report_save_answers(report=report, answers=clean_answers(version, answers))
    report_search_index(report)
    return report
