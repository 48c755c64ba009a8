"""Security headers on every page type, and pages that need no inline script or style.

Walks one URL of each kind a visitor (or a feed reader, or an API client) can reach anonymously
and checks the headers the browser relies on. HTML pages are also parsed: the enforced
Content-Security-Policy allows no inline code, so an inline `<script>`, `<style>`, `style=` or
`on...=` attribute slipping into a template would break the page in the browser; this catches
it without a browser.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from monitora.opendata.tests.corpus import build_corpus

from .reports import make_rich_report

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects inline scripts, style elements and style/event-handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            scripted_url = value and value.strip().lower().startswith("javascript:")
            if scripted_url and name in ("href", "src", "action"):
                self.found.append(f"<{tag} {name}={value!r}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def public_urls(report, project) -> dict[str, str]:
    """One URL of every page type an anonymous visitor can open."""
    return {
        "home": reverse("public:home"),
        "report list": reverse("public:report_list"),
        "report page": reverse("public:report_detail", args=[report.pk]),
        "report pdf": reverse("public:report_pdf", args=[report.pk]),
        "project page": reverse("public:project_detail", args=[project.code]),
        "search": reverse("search:reports") + "?q=scuola",
        "search results (htmx)": reverse("search:reports") + "?q=piazza",
        "map points": reverse("search:map_points"),
        "map regions": reverse("search:map_regions"),
        "statistics": reverse("stats:statistics"),
        "statistics csv": reverse("stats:csv", args=["per-regione"]),
        "open data": reverse("opendata:index"),
        "data dictionary": reverse("opendata:dictionary"),
        "datapackage": reverse("opendata:datapackage"),
        "download": reverse("opendata:download", args=["reports.csv"]),
        "feed": reverse("opendata:feed_all"),
        "feed of a project": reverse("opendata:feed_project", args=[project.code]),
        "api list": "/api/v1/reports",
        "api docs": "/api/v1/docs",
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "health": reverse("health"),
        "not found": "/questa-pagina-non-esiste/",
    }


def assert_security_headers(response, what: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ") if d}
    assert directives.get("script-src") == ["'self'"], f"{what}: {csp!r}"
    assert directives.get("style-src") == ["'self'"], f"{what}: {csp!r}"
    assert directives.get("default-src") == ["'self'"], f"{what}: {csp!r}"
    assert directives.get("object-src") == ["'none'"], f"{what}: {csp!r}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{what}: {csp!r}"
    assert "unsafe" not in csp, f"{what}: {csp!r}"
    # Only the site itself may ask for the position ("Vicino a me" on the project search).
    assert "geolocation=(self)" in response.headers.get("Permissions-Policy", ""), what
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), what
    assert response.headers.get("Referrer-Policy") == "same-origin", what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("X-Frame-Options") == "DENY", what
    assert response.headers.get("X-Request-ID"), what


def test_every_public_page_type_sends_the_security_headers_and_no_inline_code(client):
    corpus = build_corpus()
    report = make_rich_report(project=corpus.project)
    for what, url in public_urls(report, corpus.project).items():
        headers = {"HX-Request": "true"} if "htmx" in what else {}
        response = client.get(url, headers=headers)
        expected = 404 if what == "not found" else 200
        assert response.status_code == expected, f"{what} ({url}): {response.status_code}"
        assert_security_headers(response, f"{what} ({url})")
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            assert inline_code(response.content.decode()) == [], f"{what} ({url})"


def test_pages_of_signed_in_people_send_the_same_headers(client, editor):
    report = make_rich_report()
    client.force_login(editor)
    for url in (
        reverse("authoring:my_area"),
        reverse("authoring:report_edit", args=[report.pk]),
        reverse("moderation:queue"),
        reverse("moderation:review", args=[report.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (200, 403), url
        assert_security_headers(response, url)
        assert inline_code(response.content.decode()) == [], url


def test_the_inline_code_finder_finds_what_the_policy_would_block():
    html = (
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/a.js"></script>'
        '<p style="color:red" onclick="x()"><a href="javascript:x()">x</a></p><style>p{}</style>'
    )
    assert len(inline_code(html)) == 5
