"""Under the enforced Content-Security-Policy every page type works in Chromium: htmx, Leaflet and
Chart.js included. The `page` fixture fails a test on any CSP violation; the first test proves
that it sees one."""

import pytest
from django.urls import reverse

from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.search.tests.helpers import make_report

pytestmark = [pytest.mark.browser]


def test_the_page_fixture_sees_a_csp_violation(page, live_url):
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.head.append(s); }"
    )
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.ran") is None  # blocked
    assert any("script-src" in v for v in page.csp_violations), page.csp_violations
    page.csp_violations.clear()  # this one was on purpose


def test_every_page_type_works_under_the_csp(page, live_url):
    project = ProjectFactory()
    project.territories.add(TerritoryFactory(name="Caserta", latitude=41.07, longitude=14.33))
    report = make_report(
        title="Scuola di Caserta", project=project, latitude=41.07, longitude=14.33, answers={"gs": "1"}
    )
    for url in (
        reverse("public:home"),
        reverse("public:report_list"),
        reverse("public:report_detail", args=[report.pk]),
        reverse("public:project_detail", args=[report.project.code]),
        reverse("opendata:index"),
        reverse("opendata:dictionary"),
        reverse("account_login"),
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => Boolean(window.htmx)"), url
        # The htmx-config meta tag kept htmx from adding its own indicator stylesheet.
        assert page.evaluate("() => document.adoptedStyleSheets.length") == 0, url
    page.goto(reverse("public:project_detail", args=[report.project.code]))
    page.wait_for_selector(".leaflet-container")
    page.goto(reverse("search:reports"))
    page.wait_for_selector("#report-map[data-points='1']")  # Leaflet drew the marker
    page.wait_for_selector(".leaflet-container")
    page.goto(reverse("stats:statistics"))
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length >= 5")


def test_api_docs_and_admin_work_under_the_csp(page, live_url, editor):
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")
    editor.is_superuser = True
    editor.save()
    page.goto("/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "pw-editor-1")
    page.click("input[type=submit]")
    page.wait_for_selector("#content")
    page.goto("/admin/reports/report/")
    page.wait_for_selector("#changelist")
