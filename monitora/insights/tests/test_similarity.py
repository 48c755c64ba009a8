"""Similar reports (same project first, then TF-IDF over Italian stems) and recurring problems."""

import pytest
from django.urls import reverse

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.insights.models import RecurringTerm
from monitora.insights.recurring import recurring_problems, recurring_rebuild
from monitora.insights.similarity import index_reports, rebuild, similar_reports
from monitora.insights.textmining import tokens
from monitora.reports.models import Report
from monitora.search.tests.helpers import make_report

pytestmark = pytest.mark.django_db

ROOF = "Il tetto della palestra ha infiltrazioni d'acqua e la copertura non è stata completata."
ROOFS = "Infiltrazioni dal tetto: coperture della palestra scolastica incomplete, cantiere fermo."
BUS = "Le corse degli autobus elettrici sono poche e le fermate non hanno pensiline."


def _report(title, text, project=None, **answers):
    return make_report(title=title, project=project, answers={"obiettivi": text, **answers})


def test_tokens_are_folded_italian_stems_without_stop_words():
    assert [s for s, _w in tokens("Le Città e la città delle scuole")] == ["citt", "citt", "scuol"]


def test_same_project_first_then_the_most_similar_text():
    project = ProjectFactory()
    report = _report("Palestra", ROOF, project)
    sibling = _report("Stesso progetto", BUS, project)
    near = _report("Altra palestra", ROOFS)
    far = _report("Autobus", BUS + " Bus in ritardo.")
    rebuild()
    panel = similar_reports(report)
    assert panel["same_project"] == [sibling]
    assert panel["similar"][0] == near
    assert far not in panel["similar"]


def test_a_newly_published_report_is_indexed_and_unpublished_ones_leave(client):
    first = _report("Palestra", ROOF)
    rebuild()
    second = _report("Altra palestra", ROOFS)
    index_reports(report_ids=[second.pk])
    assert similar_reports(first)["similar"] == [second]
    second.status = "withdrawn"
    second.save()
    index_reports(report_ids=[second.pk])
    assert similar_reports(first)["similar"] == []


def test_report_page_shows_the_similar_reports_panel(client):
    report = _report("Palestra", ROOF)
    near = _report("Coperture incomplete", ROOFS)
    rebuild()
    html = client.get(reverse("public:report_detail", args=[report.pk])).content.decode()
    assert "Report simili" in html and "Coperture incomplete" in html
    assert reverse("public:report_detail", args=[near.pk]) in html


def test_recurring_problems_are_the_distinctive_words_of_weaknesses_and_risks(client):
    health = ProjectFactory(theme_code="09", theme="Inclusione sociale e salute")
    school = ProjectFactory(theme_code="11", theme="Istruzione e formazione")
    for n in range(3):
        weak = "Mancano infermieri e le liste d'attesa sono lunghe"
        _report(f"Ospedale {n}", "testo", health, punti_deboli=weak)
        _report(f"Scuola {n}", "testo", school, rischi="Il riscaldamento guasto e infiltrazioni nelle aule")
    recurring_rebuild()
    themes = {g["value"]: [t.word for t in g["terms"]] for g in recurring_problems("theme")}
    assert "infermieri" in themes["09"] and "infiltrazioni" not in themes["09"]
    assert "infiltrazioni" in themes["11"]
    term = RecurringTerm.objects.get(dimension="theme", value="11", word="infiltrazioni")
    assert term.reports == 3 and len(term.report_ids) == 3
    html = client.get(reverse("stats:statistics")).content.decode()
    assert "Problemi ricorrenti" in html
    assert "?q=infermieri&amp;tema=09" in html


def test_the_database_ranking_is_the_python_one():
    """On PostgreSQL the panel ranks and reads in one SQL statement; it must agree with the per-stem path."""
    from monitora.insights.similarity import _ranked, _ranked_here

    texts = [ROOF, ROOFS, BUS, BUS + " Bus in ritardo.", ROOF + " " + BUS, "Scuola chiusa, tetto da rifare."]
    reports = [
        _report(f"R{n}", text, ProjectFactory(title=f"Progetto {n}") if n % 2 else None)
        for n, text in enumerate(texts * 3)
    ]
    rebuild()
    for report in reports:
        excluded = {report.pk, reports[0].pk}
        assert _ranked(report.pk, excluded, 10) == _ranked_here(report.pk, excluded, 10)
        panel = similar_reports(report)
        expected = _ranked_here(report.pk, {report.pk, *(r.pk for r in panel["same_project"])}, 10)[:5]
        assert [r.pk for r in panel["similar"]] == expected
        for other in panel["similar"]:
            fresh = Report.objects.select_related("project").get(pk=other.pk)
            assert other.title == fresh.title
            assert (other.project and other.project.title) == (fresh.project and fresh.project.title)


def test_the_panel_project_is_loaded_like_the_orm_would():
    """The project of a similar report carries code and title; any other field still loads on access."""
    near = _report("Altra palestra", ROOFS, ProjectFactory(title="Palestra comunale", state="In corso"))
    report = _report("Palestra", ROOF)
    rebuild()
    [other] = similar_reports(report)["similar"]
    assert other == near and other.project.title == "Palestra comunale"
    assert other.project.state == "In corso"


def test_recurring_panel_escapes_labels_and_words_and_quotes_links(client):
    """The panel's links carry each word and group quoted as `urlencode` did; texts escaped."""
    for dimension, value, word, score in (
        ("region", "00", 'città "é" & co', 0.9),
        ("region", "00", "tetto", 0.5),
        ("theme", "09/a", "<b>", 0.7),
    ):
        RecurringTerm.objects.create(
            dimension=dimension,
            value=value,
            label="Gruppo & <x>",
            term=word,
            word=word,
            reports=8,
            score=score,
        )
    html = client.get(reverse("stats:statistics")).content.decode()
    quoted = "citt%C3%A0%20%22%C3%A9%22%20%26%20co"
    assert (
        "<h3>Per regione</h3><dl><dt>Gruppo &amp; &lt;x&gt;</dt><dd>"
        f'<a href="/cerca/?q={quoted}&amp;regione=00">città &quot;é&quot; &amp; co</a> (8), '
        '<a href="/cerca/?q=tetto&amp;regione=00">tetto</a> (8)</dd></dl>'
    ) in html
    assert '<dd><a href="/cerca/?q=%3Cb%3E&amp;tema=09/a">&lt;b&gt;</a> (8)</dd></dl>' in html
