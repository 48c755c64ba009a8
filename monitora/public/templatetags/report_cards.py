"""`{% report_cards reports level %}`: the report cards of the home page, report list and project page.

The same markup `public/_report_card.html` had, built in Python: the lists render 6–25 cards per
page and the include cost ~2 ms a card (a template context per card, a `reverse` and two date
formats each), most of a report-list miss. The link is reversed once per list; text is escaped by
`format_html` as the template did.
"""

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext

from monitora.core.excerpt import beyond_title
from monitora.reports.authorship import public_team_name
from monitora.reports.models import Report

register = template.Library()

PROJECT_TITLE_CHARS = 140


def _meta(report: Report, sent_on: str) -> SafeString:
    parts = []
    if report.submitted_at:
        local = timezone.localtime(report.submitted_at)
        parts.append(
            format_html(
                '{} <time datetime="{}">{}</time>',
                sent_on,
                local.strftime("%Y-%m-%d"),
                local.strftime("%d/%m/%Y"),
            )
        )
    team = public_team_name(report.team) if report.team_id else ""
    if team:
        parts.append(format_html(" · {}", team))
    return SafeString("".join(parts))


def report_card(report: Report, *, level: int, url: str, sent_on: str) -> SafeString:
    project = report.project if report.project_id else None
    shows_project = project is not None and beyond_title(str(project.title or ""), str(report.title or ""))
    return format_html(
        '<article class="report-card">\n  <h{} class="report-card-title"><a href="{}">{}</a></h{}>\n'
        '  <p class="meta">{}</p>\n  {}\n</article>\n',
        level,
        url,
        report.title,
        level,
        _meta(report, sent_on),
        format_html('<p class="project">{}</p>', Truncator(project.title).chars(PROJECT_TITLE_CHARS))
        if shows_project
        else "",
    )


@register.simple_tag
def report_cards(reports: Iterable[Report], level: int = 3) -> SafeString:
    """Every card of `reports` (from `ReportQuerySet.for_cards`)."""
    pattern = reverse("public:report_detail", args=[0])
    sent_on = gettext("Inviato il")
    return format_html_join(
        "",
        "{}",
        (
            (report_card(r, level=level, url=pattern.replace("/0/", f"/{r.pk}/"), sent_on=sent_on),)
            for r in reports
        ),
    )
