"""What official data and the discrepancy rules found, told to followers (issue 15, points 2, 4, 5).

The insights app sends `official_changes_recorded` and `discrepancies_found` on commit; the
listeners in `apps.py` queue `record_insight_events`, which groups the changes by project (one
e-mail per project and import, in the timeline's words) and makes one event per new finding.
"""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from monitora.insights.models import Discrepancy, OfficialChange
from monitora.insights.rules import RULES_BY_CODE
from monitora.insights.timeline import change_text

from .models import EventKind
from .notify import notify_followers


def record_official_changes(change_ids: list[int]) -> int:
    by_project = defaultdict(list)
    for change in OfficialChange.objects.filter(pk__in=change_ids).select_related("project"):
        by_project[change.project].append(change)
    made = 0
    for project, changes in by_project.items():
        lines = "; ".join(change_text(change, since_report=False) for change in changes)
        title = _("Dati ufficiali cambiati per «%(project)s»: %(changes)s") % {
            "project": project.title[:120] or project.code,
            "changes": lines,
        }
        made += notify_followers(
            event_kind=EventKind.OFFICIAL_CHANGE,
            title=title[:500],
            url=reverse("public:project_detail", args=[project.code]),
            project_ids=[project.pk],
            key="official_change:" + ",".join(str(c.pk) for c in changes),
        )
    return made


def record_discrepancies(discrepancy_ids: list[int]) -> int:
    made = 0
    for finding in Discrepancy.objects.public().filter(pk__in=discrepancy_ids).select_related("report"):
        rule = RULES_BY_CODE.get(finding.rule)
        title = _("Discrepanza sul report «%(report)s»: %(rule)s") % {
            "report": finding.report.title,
            "rule": rule.title if rule else finding.rule,
        }
        made += notify_followers(
            event_kind=EventKind.DISCREPANCY,
            title=str(title)[:500],
            url=reverse("public:report_detail", args=[finding.report_id]),
            report_ids=[finding.report_id],
            key=f"discrepancy:{finding.pk}",
        )
    return made
