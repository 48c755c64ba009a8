"""`{% facet_fieldsets result.facets %}`: the filter checkboxes of the search page.

The same markup the template and its `search/_facet_value.html` include had, built in Python: a
page shows 40–90 facet values and the include per value was half the Python time of a search
miss. Values and labels are escaped by `format_html` as the template did.
"""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

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
