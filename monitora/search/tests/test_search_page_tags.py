"""The tags that build the search page's lists escape text and keep the markup of the old includes."""

from django.utils import translation

from monitora.search.selectors import FacetResult, FacetValue, ListedReport
from monitora.search.templatetags.search_page import facet_fieldsets, result_items


def test_facet_values_are_escaped_and_the_ticked_one_checked():
    facet = FacetResult("tema", "Tema", [FacetValue('a"b', "<b>Scuole</b>", 3, selected=True)])
    html = facet_fieldsets([facet, FacetResult("anno", "Anno", [])])
    assert "<legend>Tema</legend>" in html
    assert 'id="f-tema-a&quot;b" name="tema" value="a&quot;b" checked>' in html
    assert (
        '<label for="f-tema-a&quot;b">&lt;b&gt;Scuole&lt;/b&gt; <span class="count">(3)</span></label>'
        in html
    )
    assert "Anno" not in html  # a facet without values is left out


def test_values_past_the_tenth_fold_and_open_when_one_is_ticked():
    values = [FacetValue(f"{i:03d}", f"P{i}", 1) for i in range(12)]
    with translation.override("it"):
        folded = facet_fieldsets([FacetResult("provincia", "Provincia", values)])
        values[11].selected = True
        opened = facet_fieldsets([FacetResult("provincia", "Provincia", values)])
    assert folded.count('class="facet-value"') == 12
    assert '<details class="facet-more">\n<summary>Altri valori (2)</summary>' in folded
    assert '<details class="facet-more" open>' in opened


def test_results_escape_titles_and_show_only_known_parts():
    full = ListedReport(7, "<script>x</script>", "Campania", "Caserta", "Cultura", 2024, "", "1", "")
    bare = ListedReport(8, "Senza dati", "", "", "", None, "", "", "")
    with translation.override("it"):
        html = result_items([full, bare])
    assert '<a href="/report/7/">&lt;script&gt;x&lt;/script&gt;</a>' in html
    assert "Campania · Caserta · Cultura · 2024" in html
    assert '<p class="judgement judgement-1">\n<span>Efficacia: ' in html
    assert "Avanzamento" not in html
    assert html.count('<p class="judgement') == 1  # the report without judgements has none
