"""Browser-test fixtures for every app: one Chromium per test module, a fresh page per test.

Registered for the whole suite by the root `conftest.py` (`pytest_plugins`). Every test marked
`browser` passes one gate first (`pytest_runtest_setup` below): without Chromium (or Playwright)
they are all skipped the same way, folded by `-ra` into one line saying how to enable them, and no
test launches Chromium on its own (`launch_chromium` starts it lazily for tests that need to).
`make test` installs Debian's `chromium` first when it may (`scripts/install-chromium.sh`).
Use them as::

    @pytest.mark.browser
    def test_something(page, live_url):  # fails on any JS error or CSP violation on the page
        page.goto(live_url + "/report/")
        assert_no_axe_violations(page)

`live_url` runs Django's live server on a transactional test database and puts back the rows
that data migrations created (the questionnaires) before each test, so browser tests can
create data with factories like any other test.

The browser is module-scoped rather than session-scoped on purpose: a running sync Playwright
marks an asyncio loop as running on the test thread, so one that outlived its module would make
any other module that starts Playwright itself fail. Launching Chromium costs about a second.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000
# Runs in every document before its own scripts: reports each blocked load or inline code as a
# console error, so a violation is caught even after the page that caused it has navigated away.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline code"}`
    + ` at ${e.sourceFile || document.location.href}:${e.lineNumber}`);
});
"""
BLOCKING_IMPACTS = ("serious", "critical")


ENABLE_HINT = (
    "to run them install Debian's chromium (`sudo apt-get install chromium`; `make test` does it when"
    " run as root) or set CHROMIUM_PATH"
)


def _missing(what: str) -> None:
    """In CI a missing browser is a failure; on a developer machine, a clear skip."""
    message = f"{what} (run `make setup`; Chromium comes from the Debian package `chromium`)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def browser_unavailable() -> str:
    """Why browser tests cannot run here ("" when they can)."""
    path = chromium_path()
    if not Path(path).is_file():
        return f"browser tests skipped: Chromium not found at {path}; {ENABLE_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: Playwright is not installed; run `make setup`"
    return ""


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    """The one gate of every `browser` test, before any fixture (no database, no live server)."""
    if item.get_closest_marker("browser") is None:
        return
    reason = browser_unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


class ChromiumLauncher:
    """`launch()` starts Playwright and Chromium; `stop()` ends them (the fixture does it too)."""

    def __init__(self) -> None:
        self.started: list = []

    def __call__(self):
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        self.started.append((playwright, chromium))
        return chromium

    def stop(self) -> None:
        while self.started:
            playwright, chromium = self.started.pop()
            chromium.close()
            playwright.stop()


@pytest.fixture
def launch_chromium() -> Iterator[ChromiumLauncher]:
    """Start Chromium only when the test asks (`browser = launch_chromium()`), for tests that must
    create their data first: while Playwright's event loop runs, ORM calls in this thread would
    open a second, never-closed database connection. Call `launch_chromium.stop()` before the
    ORM checks that follow the browser part; teardown stops whatever is left."""
    launcher = ChromiumLauncher()
    yield launcher
    launcher.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread; the ORM calls a test makes
    # between page actions are still synchronous, so Django's async-safety guard must be relaxed.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live_url(live_server, transactional_db) -> str:
    """Base URL of the live server (no trailing slash), with the questionnaires in the database.

    The live server needs a transactional database, which starts empty: the rows that migrations
    load (questionnaires) are put back with the same idempotent service that `load_demo` uses.
    """
    from monitora.questionnaires import models
    from monitora.questionnaires.services import questionnaire_sync_all

    questionnaire_sync_all(models=models)
    return live_server.url


@pytest.fixture
def browser_context_options() -> dict:
    """Override in a test module to change viewport, locale, etc."""
    return {"locale": "it-IT", "viewport": {"width": 1280, "height": 900}}


def offline(context, live_url: str) -> None:
    """Abort every request that does not go to the live server: tests stay hermetic and fast
    (hot-linked images and map tiles would otherwise wait on the network)."""
    context.route(lambda url: not url.startswith(live_url), lambda route: route.abort())


@pytest.fixture
def page(browser, live_url, browser_context_options) -> Iterator:
    context = browser.new_context(base_url=live_url, **browser_context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    offline(context, live_url)
    page = context.new_page()
    watch_console(page)
    yield page
    context.close()
    assert_console_clean(page)


def watch_console(page) -> None:
    """Collect the page's JavaScript errors and Content-Security-Policy violations.

    Every browser test's pages go through this (the `page` fixture does it; tests that open their
    own context call it), and `assert_console_clean` fails the test on either: the policy is
    enforced, so a violation is a feature that does not work.
    """
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.js_errors = []
    page.csp_violations = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.on("console", lambda message: _collect_csp_violation(message.text, page.csp_violations))


def assert_console_clean(page) -> None:
    assert not page.js_errors, f"JavaScript errors on the page: {page.js_errors}"
    assert not page.csp_violations, f"Content-Security-Policy violations (enforced): {page.csp_violations}"


def _collect_csp_violation(text: str, violations: list[str]) -> None:
    """Chromium's own "Refused to ... Content Security Policy" messages and our listener's lines."""
    if text.startswith("CSP violation:") or "Content Security Policy" in text:
        violations.append(text)


def axe_violations(page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict]:
    """Run axe-core (from node_modules) in the page; return violations of the given impacts."""
    if not AXE_SCRIPT.exists():
        _missing(f"axe-core not installed at {AXE_SCRIPT}")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: an injected <script> tag would be inline code,
        # which the page's Content-Security-Policy blocks.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def assert_no_axe_violations(page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> None:
    violations = axe_violations(page, impacts=impacts)
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    )
    assert not violations, f"axe-core found violations on {page.url}:\n{details}"


def log_in(page, email: str, password: str = "") -> None:
    """Sign in through the site's login form, as a person would; lands on the personal area."""
    from monitora.accounts.tests.factories import PASSWORD

    page.goto("/account/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password or PASSWORD)
    page.locator("form:has(input[name=login]) button[type=submit]").click()
    page.wait_for_url("**/area/")
