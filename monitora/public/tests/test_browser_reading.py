"""Issue 13, "Readers": the example report as a person reads it, in a real Chromium."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from monitora.reports.models import Report

from .browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser]

WECARE = Path(settings.BASE_DIR) / "data" / "examples" / "wecare-report.txt"


@pytest.fixture
def wecare(live_url) -> Report:
    call_command("import_report_text", str(WECARE), "--questionnaire", "v2019", stdout=io.StringIO())
    return Report.objects.get(title__startswith="WECARE")


def test_example_report_reads_as_paragraphs_lists_and_nested_sections(page, wecare):
    page.goto(reverse("public:report_detail", args=[wecare.pk]))
    results = page.locator("section#scoperto > section#risultati")
    expect(results.get_by_role("heading", level=3, name="Risultati")).to_be_visible()
    expect(page.locator("section#scoperto").get_by_role("heading", level=2)).to_have_text(
        "Cosa abbiamo scoperto"
    )
    for name in ("Avanzamento", "Punti di debolezza", "Punti di forza", "Rischi", "Soluzioni e Idee"):
        expect(page.locator("section#scoperto").get_by_role("heading", level=3, name=name)).to_be_visible()
    for name in ("Domande principali", "Risposte principali"):
        expect(page.locator("section#metodo").get_by_role("heading", level=3, name=name)).to_be_visible()
    # The source's hard line break inside a sentence ("… POR FESR per / la realizzazione …") is gone:
    # one paragraph holds the whole sentence, and the numbered activities are a list.
    paragraph = results.locator("p", has_text="POR FESR per la realizzazione di welfare territoriali")
    expect(paragraph).to_have_count(1)
    assert paragraph.evaluate("p => p.querySelectorAll('br').length") == 0
    expect(results.locator("ol").first.locator("li")).to_have_count(2)
    expect(results.locator("ol").nth(1).locator("li")).to_have_count(4)
    # The two answers in "Risposte principali" keep their numbering (1, then 2).
    expect(page.locator("section#risposte ol").nth(1)).to_have_attribute("start", "2")
    # The author line held an e-mail address: the page shows the handle only.
    expect(page.locator(".report-header .meta")).not_to_contain_text("@gmail")
    expect(page.locator(".report-header .meta")).to_contain_text("@Doest18")
    assert_no_axe_violations(page)
