import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from monitora.public.presenters import (
    SECTION_TITLES,
    format_date,
    format_euro,
    is_web_url,
    snapshot_facts,
    subject_groups,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2020-07-15", "15/07/2020"), ("20200715", "15/07/2020"), (dt.date(2020, 7, 15), "15/07/2020"),
     ("2020-07-15T00:00:00", "15/07/2020"), ("", ""), (None, ""), ("non una data", "non una data")],
)  # fmt: skip
def test_format_date_reads_every_snapshot_date_form(value, expected):
    assert format_date(value) == expected


def test_format_euro_uses_italian_grouping():
    with translation.override("it"):
        assert format_euro("1234567.5") == "€ 1.234.567,50"
        assert format_euro(Decimal("12")) == "€ 12,00"
        assert format_euro(None) == ""
        assert format_euro("n.d.") == "n.d."


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://example.org/a", True), ("http://x.it", True), ("javascript:alert(1)", False),
     ("data:text/html,x", False), ("//example.org", False), ("ftp://example.org/f", False), ("", False)],
)  # fmt: skip
def test_only_web_urls_become_links(url, ok):
    assert is_web_url(url) is ok


def test_subjects_grouped_by_role_in_sidebar_order_with_a_cap():
    subjects = [
        {"role": "Realizzatore", "name": "IMPRESA"},
        {"roles": ["Attuatore", "Beneficiario"], "name": "ASL"},
    ]
    subjects += [{"role": "Programmatore", "name": f"ENTE {n}"} for n in range(6)]
    subjects += [{"role": "Programmatore", "name": "ENTE 0"}, "rubbish", {"role": "Attuatore"}]
    groups = subject_groups(subjects)
    assert [g.role for g in groups] == ["Programmatore", "Attuatore", "Beneficiario", "Realizzatore"]
    assert groups[0].names == ["ENTE 0", "ENTE 1", "ENTE 2", "ENTE 3"] and groups[0].more == 2
    assert subject_groups(None) == [] and subject_groups({"a": 1}) == []


def test_snapshot_facts_skip_empty_values_and_translate_labels():
    snapshot = {"title": "Scuola", "state": "Concluso", "start_date": "", "programmes": ["A", "B"]}
    with translation.override("en"):
        facts = [(f.label, f.value) for f in snapshot_facts(snapshot)]
    assert facts == [("Project title", "Scuola"), ("Project state", "Concluso"), ("Funded by", "A; B")]


def test_every_section_heading_has_an_english_translation():
    with translation.override("en"):
        english = {slug: str(title) for slug, title in SECTION_TITLES.items()}
    with translation.override("it"):
        italian = {slug: str(title) for slug, title in SECTION_TITLES.items()}
    assert all(english[slug] != italian[slug] for slug in SECTION_TITLES), english
