"""`{% facet_fieldsets result.facets %}` and `{% result_items result.items %}`: the search page's lists.

The same markup the template (and its `search/_facet_value.html` include) had, built in Python:
a page shows 40–90 facet values and up to 100 results, and rendering them node by node was most
of the Python time of a search miss. As in `public/templatetags/report_cards.py`, every value is
escaped as the template did (`escaped_text`: the standard library, without `format_html`'s lazy-string
checks, which were most of the time left) and only the markup written here is trusted; the report
link is reversed once per list.
"""

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from monitora.core.htmltext import escaped_text
from monitora.search.selectors import FacetResult, FacetValue, ListedReport

register = template.Library()


def _values(key: str, values: Iterable[FacetValue]) -> str:
    html = []
    for v in values:
        ident, name, value = escaped_text(f"f-{key}-{v.value}"), escaped_text(key), escaped_text(v.value)
        checked = " checked" if v.selected else ""
        html.append(
            f'<div class="facet-value">\n'
            f'  <input type="checkbox" id="{ident}" name="{name}" value="{value}"{checked}>\n'
            f'  <label for="{ident}">{escaped_text(v.label)}'
            f' <span class="count">({v.count:d})</span></label>\n'
            f"</div>\n"
        )
    return "".join(html)


def _hidden(facet: FacetResult) -> str:
    """The values past the first ten, folded (open when one of them is ticked)."""
    if not facet.hidden:
        return ""
    n = len(facet.hidden)
    summary = ngettext("Altro valore (%(counter)s)", "Altri valori (%(counter)s)", n) % {"counter": n}
    return (
        f'<details class="facet-more"{" open" if facet.hidden_selected else ""}>\n'
        f"<summary>{escaped_text(summary)}</summary>\n{_values(facet.key, facet.hidden)}</details>\n"
    )


@register.simple_tag
def facet_fieldsets(facets: Iterable[FacetResult]) -> SafeString:
    """A fieldset per facet that has values, in the order given."""
    return SafeString(
        "".join(
            f'<fieldset class="facet">\n<legend>{escaped_text(f.heading)}</legend>\n'
            f"{_values(f.key, f.visible)}{_hidden(f)}</fieldset>\n"
            for f in facets
            if f.values
        )
    )


def _meta(doc: ListedReport) -> str:
    """Region · province · theme · year, each when known (as the list always showed them)."""
    text = ""
    if doc.region_name:
        text += doc.region_name + (f" · {doc.province_name}" if doc.province_name else "") + " · "
    if doc.theme_name:
        text += f"{doc.theme_name} · "
    return text + (str(doc.year) if doc.year else "")


def _judgement(doc: ListedReport, labels: tuple[str, str, str]) -> str:
    values = (doc.progress_label, doc.effectiveness_label, doc.overall_label)
    spans = "".join(
        f"<span>{escaped_text(label)}: {escaped_text(value)}</span>\n"
        for label, value in zip(labels, values, strict=True)
        if value
    )
    if not spans:
        return ""
    return f'<p class="judgement judgement-{escaped_text(doc.effectiveness or "none")}">\n{spans}</p>\n'


def _item(doc: ListedReport, url: str, labels: tuple[str, str, str]) -> str:
    return (
        f'<li class="report-card">\n'
        f'<h3><a href="{escaped_text(url)}">{escaped_text(doc.title)}</a></h3>\n'
        f'<p class="meta">\n{escaped_text(_meta(doc))}\n</p>\n{_judgement(doc, labels)}</li>\n'
    )


@register.simple_tag
def result_items(items: Iterable[ListedReport]) -> SafeString:
    """A `<li>` per result: title linking to the report, place, theme, year and judgements."""
    pattern = reverse("public:report_detail", args=[0])
    labels = (gettext("Avanzamento"), gettext("Efficacia"), gettext("Giudizio sintetico"))
    return SafeString(
        "".join(_item(doc, pattern.replace("/0/", f"/{doc.report_id:d}/"), labels) for doc in items)
    )
