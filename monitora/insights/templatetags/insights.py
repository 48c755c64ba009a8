"""Panels the public pages include: timeline, discrepancies, recurring problems, counts.

The report page reads its timeline and similar reports together (`insights.panels`)."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from monitora.core.htmltext import escaped_text
from monitora.search.filters import FilterError, ReportFilters, html_filters

from ..recurring import recurring_by_dimension
from ..rules import RULES_BY_CODE
from ..selectors import discrepancy_counts, report_discrepancies
from ..timeline import FIELD_LABELS, official_value, project_timeline

register = template.Library()


@register.inclusion_tag("insights/_timeline.html")
def project_timeline_panel(project):
    return {"events": project_timeline(project)}


@register.inclusion_tag("insights/_report_discrepancies.html", takes_context=True)
def report_discrepancies_panel(context, report):
    items = [(d, RULES_BY_CODE.get(d.rule)) for d in report_discrepancies(report.pk)]
    return {"items": items, "request": context.get("request"), "user": context.get("user"), "report": report}


@register.inclusion_tag("insights/_recurring.html")
def recurring_problems_panel():
    groups = recurring_by_dimension()
    return {"themes": groups["theme"], "regions": groups["region"]}


def _query(value: object) -> str:
    """`{{ value|urlencode }}`: quoted as the filter does (only `/` kept), then escaped."""
    return escaped_text(quote(str(value)))


@register.simple_tag
def recurring_groups(groups: list[dict], parameter: str) -> SafeString:
    """The groups' definition list, each word a link to its search within its group.

    The markup the template loops wrote (a `{% url %}` and two `urlencode` per word: ~10 ms for
    150 words), built in Python; every value escaped as `{{ }}` did."""
    search, parameter = escaped_text(reverse("search:reports")), escaped_text(parameter)

    def group_html(group: dict) -> str:
        within = f"&amp;{parameter}={_query(group['value'])}"
        links = ", ".join(
            f'<a href="{search}?q={_query(t.word)}{within}">{escaped_text(t.word)}</a>'
            f" ({escaped_text(t.reports)})"
            for t in group["terms"]
        )
        return f"<dt>{escaped_text(group['label'])}</dt><dd>{links}</dd>"

    return SafeString("<dl>" + "".join(group_html(group) for group in groups) + "</dl>")


@register.inclusion_tag("insights/_counts.html", takes_context=True)
def discrepancy_counts_panel(context, counts=None):
    """Findings per rule under the statistics page's filters (already validated by its view).

    `counts` (`selectors.discrepancy_counts`) when the page has them already (`stats` counts
    them in its one statement); otherwise they are counted here.
    """
    request = context.get("request")
    if counts is None:
        try:
            filters = html_filters(request.GET) if request is not None else ReportFilters()
        except FilterError:
            filters = ReportFilters()
        counts = discrepancy_counts(filters)
    return {
        "counts": counts,
        "total": sum(row["count"] for row in counts),
        "query": request.GET.urlencode() if request else "",
    }


@register.filter
def official_facts(values):
    """{"payments": "1000.00", ...} as readable pairs: [("Pagamenti", "1.000 €"), ...]."""
    if not isinstance(values, dict):
        return []
    return [(str(FIELD_LABELS.get(k, k)), official_value(k, str(v))) for k, v in values.items()]


@register.filter
def rule_title(code):
    rule = RULES_BY_CODE.get(code)
    return rule.title if rule else code
