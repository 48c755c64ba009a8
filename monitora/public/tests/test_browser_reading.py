"""Issue 13, "Readers": the example report as a person reads it, in a real Chromium."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from monitora.reports.models import Report

from .browser import (
    DEFAULT_TIMEOUT_MS,
    assert_console_clean,
    assert_no_axe_violations,
    offline,
    watch_console,
)

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


@pytest.fixture
def phone():
    viewport = {"width": 390, "height": 844}
    return {"locale": "it-IT", "viewport": viewport, "is_mobile": True, "has_touch": True}


def test_on_a_phone_results_come_first_and_filters_fold(browser, live_url, phone):
    from monitora.search.tests.helpers import make_report

    for n in range(3):
        make_report(title=f"Scuola {n}", latitude=41.07 + n / 1000, longitude=14.33, answers={"gs": "1"})
    make_report(title="Ponte di Torino", latitude=45.07, longitude=7.69, answers={"gs": "3"})
    context = browser.new_context(base_url=live_url, **phone)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    offline(context, live_url)
    page = context.new_page()
    watch_console(page)
    try:
        page.goto(reverse("search:reports"))
        page.wait_for_selector("#report-map[data-points='4']")
        first_result = page.locator(".report-card").first
        expect(first_result).to_be_in_viewport()  # no scrolling past the map and every filter
        assert first_result.bounding_box()["y"] < page.locator("#report-map").bounding_box()["y"]
        panel = page.locator("#search-filters")
        expect(panel).not_to_have_attribute("open", "")
        expect(page.locator("#f-regione-01")).to_be_hidden()
        page.get_by_text("Filtri", exact=True).click()
        expect(page.locator("#f-regione-01")).to_be_visible()
        page.locator("label[for='f-regione-01']").click()  # htmx swaps the results
        page.wait_for_function(
            "() => document.querySelector('.search-total').textContent.startsWith('1 report')"
        )
        expect(page.locator("#search-filters")).to_have_attribute("open", "")  # still open for the reader
        expect(page.locator("#search-filters summary")).to_contain_text("1 attivo")
        assert_no_axe_violations(page)
    finally:
        context.close()
    assert_console_clean(page)


def test_on_a_wide_screen_the_filters_are_an_open_column_left_of_the_results(page, live_url):
    from monitora.search.tests.helpers import make_report

    make_report(title="Scuola", latitude=41.07, longitude=14.33, answers={"gs": "1"})
    page.goto(reverse("search:reports"))
    expect(page.locator("#f-regione-15")).to_be_visible()
    facets = page.locator("#search-filters").bounding_box()
    results = page.locator(".search-results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"] and abs(facets["y"] - results["y"]) < 5


ACCENT = "rgb(11, 92, 173)"  # --accent in css/monitora.css


def test_account_pages_use_the_sites_form_style_and_sign_up_links_the_privacy_notice(page):
    for name in ("account_signup", "account_login", "account_reset_password"):
        page.goto(reverse(name))
        expect(page.locator(".site-header")).to_be_visible()
        form = page.locator("main form.auth-form")
        expect(form).to_have_count(1)
        email = form.locator("input[type=email]")
        assert email.bounding_box()["width"] >= 280 and email.bounding_box()["height"] >= 40
        button = form.locator("button[type=submit]").last
        assert button.evaluate("b => getComputedStyle(b).backgroundColor") == ACCENT, name
        assert_no_axe_violations(page)
    page.goto(reverse("account_signup"))
    consent = page.get_by_label("Ho letto l'informativa sulla privacy e la accetto")
    assert consent.evaluate("c => c.required")
    link = page.locator("main").get_by_role("link", name="Leggi l'informativa sulla privacy")
    with page.context.expect_page() as opened:
        link.click()
    notice = opened.value
    notice.wait_for_load_state()
    expect(notice.get_by_role("heading", level=1)).to_have_text("Informativa sulla privacy")
    expect(notice.locator("footer").get_by_role("link", name="Privacy")).to_be_visible()


def test_404_page_in_both_languages(page):
    response = page.goto("/questa-pagina-non-esiste/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina non trovata")
    expect(page.locator("main").get_by_role("link", name="Cerca nei report")).to_be_visible()
    assert_no_axe_violations(page)
    # The switch is a plain link back to the same address (no form, no CSRF cookie: page cache).
    page.get_by_role("navigation", name="Cambia lingua").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/questa-pagina-non-esiste/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main").get_by_role("link", name="Search reports")).to_be_visible()
    expect(page.locator(".site-header")).to_be_visible()
    assert_no_axe_violations(page)


def test_cards_and_project_page_do_not_repeat_the_title(page, live_url):
    from monitora.catalogue.tests.factories import ProjectFactory
    from monitora.reports.tests.factories import ReportFactory

    title = "Riqualificazione della piazza del mercato di Sora"
    project = ProjectFactory(code="1LAZ0099", title=title.upper(), summary=title)
    ReportFactory(published=True, title=title, project=project)
    other = ProjectFactory(code="1LAZ0100", title="Asilo nido comunale", summary="Nuovi posti: 40.")
    ReportFactory(published=True, title="L'asilo apre a settembre", project=other)
    page.goto(reverse("public:report_list"))
    cards = page.locator(".report-card")
    expect(cards.filter(has_text=title).locator(".project")).to_have_count(0)
    expect(cards.filter(has_text="L'asilo apre").locator(".project")).to_have_text("Asilo nido comunale")
    page.goto(reverse("public:project_detail", args=[project.code]))
    expect(page.get_by_role("heading", name="Sintesi")).to_have_count(0)
    page.goto(reverse("public:project_detail", args=[other.code]))
    expect(page.get_by_role("heading", name="Sintesi")).to_be_visible()


def test_demo_statistics_and_map_show_the_legacy_reports_effectiveness(page, live_url):
    """Issue 13: 59 of 61 demo reports read "Non indicato"; the older questionnaires' overall
    judgement now counts where it means effectiveness (`search.facts.harmonised_judgements`)."""
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    total = Report.objects.published().count()
    page.goto(reverse("stats:statistics"))
    table = page.locator("#giudizio-per-avanzamento table")
    headers = table.locator("thead th").all_inner_texts()
    unknown = headers.index("Non indicato")
    rows = [r.locator("td").all_inner_texts() for r in table.locator("tbody tr").all()]
    counted = sum(int(cell) for row in rows for cell in row)
    not_judged = sum(int(row[unknown - 1]) for row in rows)
    assert counted == total
    # Before: 59 of 61. Now only reports whose overall judgement speaks of progress alone ("In
    # corso", "Procede con difficoltà", "Bloccato") or that have none stay "Non indicato".
    assert not_judged < total / 2, (not_judged, total)
    judged = {h: sum(int(r[i - 1]) for r in rows) for i, h in enumerate(headers) if 0 < i < unknown}
    assert judged["Efficace"] > 0 and judged["Inefficace"] > 0

    page.goto(reverse("search:reports"))
    page.wait_for_selector("#report-map[data-points]")
    points = int(page.locator("#report-map").get_attribute("data-points"))
    unjudged = int(page.locator("#report-map").get_attribute("data-unjudged"))
    assert points > 0 and unjudged < points / 2, (unjudged, points)
    effectiveness = page.locator("fieldset.facet", has=page.locator("legend", has_text="Efficacia"))
    expect(effectiveness.locator("label", has_text="Efficace")).not_to_have_count(0)


def test_signed_in_account_pages_use_the_sites_style(page, live_url):
    from monitora.accounts.tests.factories import PASSWORD, UserFactory

    user = UserFactory()
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()
    page.wait_for_url("**/area/")
    for name in ("account_email", "account_change_password"):
        page.goto(reverse(name))
        expect(page.locator(".site-header")).to_be_visible()
        expect(page.locator("main form.auth-form").first).to_be_visible()
        buttons = page.locator("main form.auth-form button")
        assert buttons.count() and all("button" in (b.get_attribute("class") or "") for b in buttons.all())
        assert_no_axe_violations(page)
