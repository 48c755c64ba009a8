"""`{% report_cards reports level %}`: the report cards of the home page, report list and project page.

The same markup `public/_report_card.html` had, built in Python: the lists render 6–25 cards per
page and the include cost ~2 ms a card (a template context per card, a `reverse` and two date
formats each), most of a report-list miss. The link is reversed once per list; every value is
escaped as the template did (`escaped_text`), and only the markup written here is trusted.
"""

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext

from monitora.core.excerpt import beyond_title
from monitora.core.htmltext import escaped_text
from monitora.reports.authorship import public_team_name
from monitora.reports.models import Report

register = template.Library()

PROJECT_TITLE_CHARS = 140


def report_card(report: Report, *, level: int, url: str, sent_on: str) -> SafeString:
    """One card; every value from the database goes through `escaped_text`."""
    meta = ""
    if report.submitted_at:
        local = timezone.localtime(report.submitted_at)
        meta = f'{escaped_text(sent_on)} <time datetime="{local:%Y-%m-%d}">{local:%d/%m/%Y}</time>'
    team = public_team_name(report.team) if report.team_id else ""
    if team:
        meta += f" · {escaped_text(team)}"
    project = report.project if report.project_id else None
    shown = ""
    if project is not None and beyond_title(str(project.title or ""), str(report.title or "")):
        shown = f'<p class="project">{escaped_text(Truncator(project.title).chars(PROJECT_TITLE_CHARS))}</p>'
    return SafeString(
        f'<article class="report-card">\n  <h{level:d} class="report-card-title">'
        f'<a href="{escaped_text(url)}">{escaped_text(report.title)}</a></h{level:d}>\n'
        f'  <p class="meta">{meta}</p>\n  {shown}\n</article>\n'
    )


@register.simple_tag
def report_cards(reports: Iterable[Report], level: int = 3) -> SafeString:
    """Every card of `reports` (from `ReportQuerySet.for_cards`)."""
    pattern = reverse("public:report_detail", args=[0])
    sent_on = gettext("Inviato il")
    return SafeString(
        "".join(
            report_card(r, level=level, url=pattern.replace("/0/", f"/{r.pk}/"), sent_on=sent_on)
            for r in reports
        )
    )
