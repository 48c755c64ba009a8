"""The search map and the statistics charts in a real Chromium, offline, with axe-core checks."""

import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from monitora.public.tests.browser import assert_console_clean, watch_console

from .helpers import make_report

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def questionnaires():
    # Transactional tests start from an empty database: the questionnaire rows must be recreated.
    call_command("sync_questionnaires", stdout=io.StringIO())


@pytest.fixture
def open_page(live_server, launch_chromium):
    """Start Chromium lazily (the shared `launch_chromium`): tests create their data first."""
    assert (NODE_MODULES / "leaflet").is_dir(), "run `make setup`: front-end libraries come from npm"
    started = []

    def open_page():
        browser = launch_chromium()
        started.append(browser)
        context = browser.new_context(locale="it-IT")
        # No network: tiles fail, the shipped regions and the markers must still show.
        context.route("https://**/*", lambda route: route.abort())
        page = context.new_page()
        watch_console(page)
        page.errors = page.js_errors
        return page

    yield open_page
    pages = []
    for browser in started:
        for context in browser.contexts:
            for page in context.pages:
                page.wait_for_load_state("networkidle")
                pages.append(page)
            context.close()
    # Playwright's sync API marks an event loop as running in this thread, where Django then
    # refuses ORM calls: stop it before the database query below.
    launch_chromium.stop()
    _wait_for_server_connections_to_close()
    # String predicates of wait_for_function are eval'd in the page: write them as arrow functions.
    for page in pages:
        assert_console_clean(page)


def _wait_for_server_connections_to_close(timeout: float = 10.0) -> None:
    """Live-server request threads close their PostgreSQL connections just after answering; the
    test database can only be dropped once they have, so wait for them (bounded)."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


def _axe_serious(page) -> list[str]:
    # Evaluated, not injected as a <script>: the page's CSP blocks inline scripts.
    page.evaluate((NODE_MODULES / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]


def test_map_shows_regions_and_clusters_offline_and_filters_apply(live_server, open_page):
    for n in range(3):
        make_report(title=f"Scuola {n}", latitude=41.07 + n / 1000, longitude=14.33, answers={"gs": "1"})
    make_report(title="Ponte di Torino", latitude=45.07, longitude=7.69, answers={"gs": "3"})
    make_report(title="Bozza nascosta", status="draft", latitude=38.1, longitude=13.36)
    page = open_page()
    page.goto(f"{live_server.url}/cerca/")
    page.wait_for_selector(".report-cluster")
    page.wait_for_selector("#report-map[data-points='4'][data-regions='20']")  # shipped regions, no tiles
    assert page.inner_text(".search-total").startswith("4 report")
    assert "Bozza nascosta" not in page.content()

    page.check("#f-regione-01")
    page.click("#search-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('.search-total').textContent.startsWith('1 report')")
    page.wait_for_selector("#report-map[data-points='1']")
    assert "Ponte di Torino" in page.inner_text(".search-results")
    assert _axe_serious(page) == []
    assert page.errors == []


def test_statistics_charts_render_and_pass_axe(live_server, open_page):
    make_report(
        title="Scuola", latitude=41.07, longitude=14.33, answers={"stato_di_avanzamento": "3", "gs": "1"}
    )
    page = open_page()
    page.goto(f"{live_server.url}/statistiche/")
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length >= 5")
    assert page.locator("table.stats-table").count() >= 5
    assert _axe_serious(page) == []
    assert page.errors == []


def test_htmx_updates_results_and_map_without_reloading(live_server, open_page):
    make_report(title="Scuola di Caserta", latitude=41.07, longitude=14.33, answers={"gs": "1"})
    make_report(title="Ponte di Torino", latitude=45.07, longitude=7.69, answers={"gs": "3"})
    page = open_page()
    page.goto(f"{live_server.url}/cerca/")
    # The site template loads htmx (npm package); load it here if this template does not.
    if not page.evaluate("Boolean(window.htmx)"):
        page.evaluate((NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js").read_text(encoding="utf-8"))
        page.evaluate("htmx.process(document.body)")
    page.wait_for_selector("#report-map[data-points='2']")
    page.evaluate("window.notReloaded = true")
    page.check("#f-efficacia-3")
    page.wait_for_function("() => document.querySelector('.search-total').textContent.startsWith('1 report')")
    page.wait_for_selector("#report-map[data-points='1']")
    assert page.evaluate("window.notReloaded") is True
    assert "efficacia=3" in page.url
    assert page.is_checked("#f-efficacia-3")
    assert page.errors == []
