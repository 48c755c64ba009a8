"""`{% facet_fieldsets result.facets %}` and `{% result_items result.items %}`: the search page's lists.

The same markup the template (and its `search/_facet_value.html` include) had, built in Python:
a page shows 40–90 facet values and up to 100 results, and rendering them node by node was most
of the Python time of a search miss. Text is escaped by `format_html` as the template did; the
report link is reversed once per list.
"""

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from monitora.search.models import ReportSearchDocument
from monitora.search.selectors import FacetResult, FacetValue

register = template.Library()


def _values(key: str, values: Iterable[FacetValue]) -> SafeString:
    return format_html_join(
        "",
        '<div class="facet-value">\n'
        '  <input type="checkbox" id="f-{0}-{1}" name="{0}" value="{1}"{2}>\n'
        '  <label for="f-{0}-{1}">{3} <span class="count">({4})</span></label>\n'
        "</div>\n",
        ((key, v.value, SafeString(" checked") if v.selected else "", v.label, v.count) for v in values),
    )


def _hidden(facet: FacetResult) -> SafeString:
    """The values past the first ten, folded (open when one of them is ticked)."""
    if not facet.hidden:
        return SafeString("")
    n = len(facet.hidden)
    return format_html(
        '<details class="facet-more"{}>\n<summary>{}</summary>\n{}</details>\n',
        SafeString(" open") if facet.hidden_selected else "",
        ngettext("Altro valore (%(counter)s)", "Altri valori (%(counter)s)", n) % {"counter": n},
        _values(facet.key, facet.hidden),
    )


@register.simple_tag
def facet_fieldsets(facets: Iterable[FacetResult]) -> SafeString:
    """A fieldset per facet that has values, in the order given."""
    return format_html_join(
        "",
        '<fieldset class="facet">\n<legend>{}</legend>\n{}{}</fieldset>\n',
        ((f.heading, _values(f.key, f.visible), _hidden(f)) for f in facets if f.values),
    )


def _meta(doc: ReportSearchDocument) -> str:
    """Region · province · theme · year, each when known (as the list always showed them)."""
    text = ""
    if doc.region_name:
        text += doc.region_name + (f" · {doc.province_name}" if doc.province_name else "") + " · "
    if doc.theme_name:
        text += f"{doc.theme_name} · "
    return text + (str(doc.year) if doc.year else "")


def _judgement(doc: ReportSearchDocument, labels: tuple[str, str, str]) -> SafeString:
    spans = [
        (label, value)
        for label, value in zip(
            labels, (doc.progress_label, doc.effectiveness_label, doc.overall_label), strict=True
        )
        if value
    ]
    if not spans:
        return SafeString("")
    return format_html(
        '<p class="judgement judgement-{}">\n{}</p>\n',
        doc.effectiveness or "none",
        format_html_join("", "<span>{}: {}</span>\n", spans),
    )


@register.simple_tag
def result_items(items: Iterable[ReportSearchDocument]) -> SafeString:
    """A `<li>` per result: title linking to the report, place, theme, year and judgements."""
    pattern = reverse("public:report_detail", args=[0])
    labels = (gettext("Avanzamento"), gettext("Efficacia"), gettext("Giudizio sintetico"))
    return format_html_join(
        "",
        '<li class="report-card">\n<h3><a href="{}">{}</a></h3>\n<p class="meta">\n{}\n</p>\n{}</li>\n',
        (
            (
                pattern.replace("/0/", f"/{doc.report_id}/"),
                doc.report.title,
                _meta(doc),
                _judgement(doc, labels),
            )
            for doc in items
        ),
    )
