"""The one filter parser and the harmonised judgement rule."""

import pytest
from django.http import QueryDict

from monitora.search.facts import harmonised_judgements
from monitora.search.filters import FilterError, ReportFilters, html_filters, parse_report_filters


def test_canonical_names_and_html_aliases_give_the_same_filters():
    canonical = parse_report_filters(QueryDict("region=15&effectiveness=1&year=2024&q=scuola"))
    aliased = html_filters(QueryDict("regione=15&efficacia=1&anno=2024&q=scuola"))
    assert (
        canonical == aliased == ReportFilters(q="scuola", region=("15",), effectiveness=("1",), year=(2024,))
    )


def test_html_values_are_ored_deduplicated_and_padded():
    filters = html_filters(QueryDict("regione=15&regione=1&regione=15&provincia=61&efficacia="))
    assert (filters.region, filters.province, filters.effectiveness) == (("15", "01"), ("061",), ())


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("colour=red", "colour"),
        ("efficacia=1", "efficacia"),  # aliases are for the HTML pages only
        ("effectiveness=9", "effectiveness"),
        ("year=NaN", "year"),
        ("year=Infinity", "year"),
        ("year=2024.5", "year"),
        ("year=1900", "year"),
        ("region=Campania", "region"),
        ("questionnaire=v1999", "questionnaire"),
        ("author_category=robot", "author_category"),
        ("q=a&q=b", "q"),
        ("theme=" + "x" * 201, "theme"),
    ],
)
def test_refusals_name_the_parameter(query, named):
    with pytest.raises(FilterError, match=f"«{named}»|^{named}:"):
        parse_report_filters(QueryDict(query))


def test_html_refusals_name_the_alias_as_written():
    with pytest.raises(FilterError, match="«anno»"):
        html_filters(QueryDict("anno=abc"))
    with pytest.raises(FilterError, match="Troppi valori"):
        html_filters(QueryDict("&".join(f"regione={i}" for i in range(1, 22))))


def test_paging_keys_are_ignored_only_when_named():
    assert not parse_report_filters(QueryDict("page=2"), ignore={"page"})
    with pytest.raises(FilterError):
        parse_report_filters(QueryDict("page=2"))


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ({"stato_di_avanzamento": "4", "gs": "2"}, ("4", "2")),  # v2022 as answered
        ({"valutazione_risultati": "4", "giudizio_sintetico": "2"}, ("3", "1")),  # 2019: the results win
        ({"valutazione_risultati": "5", "giudizio_sintetico": "5"}, ("6", "4")),
        ({"giudizio_sintetico": "5"}, ("6", "1")),  # legacy "Concluso e utile"
        ({"giudizio_sintetico": "6"}, ("6", "3")),  # "Concluso e inefficace"
        ({"giudizio_sintetico": "1"}, ("1", "4")),  # "Appena iniziato": too early to judge
        ({"giudizio_sintetico": "3"}, ("4", "")),  # "Procede con difficoltà" judges progress only
        ({}, ("", "")),
    ],
)
def test_one_judgement_rule_across_versions(codes, expected):
    judged = harmonised_judgements(codes)
    assert (judged["progress"], judged["effectiveness"]) == expected
    assert judged["overall"] == codes.get("giudizio_sintetico", "")
