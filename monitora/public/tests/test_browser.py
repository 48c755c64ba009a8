"""The public pages in a real Chromium: axe-core, keyboard navigation, language switch, htmx."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from monitora.attachments.tests.factories import AttachmentFactory
from monitora.reports.tests.factories import ReportFactory

from .browser import assert_console_clean, assert_no_axe_violations, offline, watch_console
from .reports import make_rich_report

pytestmark = [pytest.mark.browser]


@pytest.fixture
def rich_report(live_url):
    return make_rich_report()


def public_urls(report) -> dict[str, str]:
    return {
        "home": reverse("public:home"),
        "report list": reverse("public:report_list"),
        "report detail": reverse("public:report_detail", args=[report.pk]),
        "project detail": reverse("public:project_detail", args=[report.project.code]),
        "project search": reverse("catalogue:search") + "?q=scuola",
        "report search": reverse("search:reports") + "?q=scuola",
        "statistics": reverse("stats:statistics"),
        "open data": reverse("opendata:index"),
        "data dictionary": reverse("opendata:dictionary"),
    }


def test_every_public_page_passes_axe_in_both_languages(page, rich_report):
    from monitora.reports.models import AdministrationResponse

    ReportFactory.create_batch(30, published=True)  # the list paginates
    AdministrationResponse.objects.create(
        report=rich_report, administration_name="Comune di Moncalieri", text="Risposta ufficiale."
    )
    AttachmentFactory(report=rich_report, caption="Il cantiere chiuso")
    for name, url in public_urls(rich_report).items():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        assert_no_axe_violations(page)
    page.get_by_role("navigation", name="Cambia lingua").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for url in public_urls(rich_report).values():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en"
        assert_no_axe_violations(page)


def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_main(page, rich_report):
    page.goto(reverse("public:report_detail", args=[rich_report.pk]))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["width"] > 0
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab lands inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")


def test_keyboard_focus_is_visible_on_links(page, rich_report):
    page.goto(reverse("public:home"))
    for _ in range(3):
        page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {tag: document.activeElement.tagName, outline: s.outlineStyle, width: s.outlineWidth}; }"
    )
    assert focused["tag"] in ("A", "SELECT", "BUTTON")
    assert focused["outline"] != "none" and focused["width"] != "0px"


def test_language_switch_by_keyboard_shows_english_labels(page, rich_report):
    page.goto(reverse("public:report_detail", args=[rich_report.pk]))
    assert page.get_by_role("heading", name="Punti di debolezza").is_visible()
    page.get_by_role("navigation", name="Cambia lingua").get_by_role("link", name="English").focus()
    page.keyboard.press("Enter")  # a plain link: no form to submit
    expect(page.get_by_role("heading", name="Weaknesses")).to_be_visible()
    assert page.url.endswith(f"/report/{rich_report.pk}/")
    assert page.get_by_role("link", name="Skip to content").count() == 1


def test_pagination_swaps_results_with_htmx_and_keeps_a_real_url(page, live_url):
    ReportFactory.create_batch(27, published=True)
    page.goto(reverse("public:report_list"))
    first_page_titles = page.locator(".report-card-title").all_inner_texts()
    assert len(first_page_titles) == 25
    page.get_by_role("link", name="Pagina successiva").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.locator(".report-card-title")).to_have_count(2)
    assert page.locator("h1").count() == 1  # the region was swapped, not the page nested
    # Focus moved by static/js/monitora.js after the swap: proof that htmx, not a reload, ran.
    page.wait_for_function("() => document.activeElement?.hasAttribute('data-focus-after-swap')")
    page.go_back()
    expect(page.locator(".report-card-title")).to_have_count(25)
    expect(page.locator("h1")).to_have_count(1)
    page.go_forward()
    expect(page.locator(".report-card-title")).to_have_count(2)
    page.reload()
    assert page.locator(".report-card-title").count() == 2


def test_report_page_fits_a_phone_screen(browser, live_url):
    report = make_rich_report()
    context = browser.new_context(base_url=live_url, viewport={"width": 360, "height": 740}, locale="it-IT")
    offline(context, live_url)
    try:
        phone = context.new_page()
        watch_console(phone)
        phone.goto(reverse("public:report_detail", args=[report.pk]))
        assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        assert_no_axe_violations(phone)
        assert_console_clean(phone)
    finally:
        context.close()
