"""Italian first, English available on every public page; the committed catalogue is complete."""

import gettext
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from .reports import make_rich_report

pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def public_urls(report) -> list[str]:
    return [
        reverse("public:home"),
        reverse("public:report_list"),
        reverse("public:report_detail", args=[report.pk]),
        reverse("public:project_detail", args=[report.project.code]),
    ]


def test_italian_is_the_default(client):
    report = make_rich_report()
    for url in public_urls(report):
        html = client.get(url).text
        assert '<html lang="it">' in html, url
        assert "Vai al contenuto" in html and "Cambia lingua" in html, url


def test_language_switch_covers_every_public_page(client):
    report = make_rich_report()
    for url in public_urls(report):
        switch = f'href="{reverse("public:language", args=["en"])}?next={quote(url)}"'
        html = client.get(url).text
        assert switch in html, url  # a plain link: no form, no CSRF cookie
        assert ">English</a>" in html and ">Italiano</a>" in html  # each in its own language
        response = client.get(reverse("public:language", args=["en"]), {"next": url})
        assert response.status_code == 302 and response["Location"] == url
        html = client.get(url).text
        assert '<html lang="en">' in html, url
        assert "Skip to content" in html and "Change language" in html, url
        assert ">Log in</a>" in html and ">Sign up</a>" in html, url  # the accounts menu too
        assert "Vai al contenuto" not in html, url
    page = client.get(reverse("public:report_detail", args=[report.pk])).text
    for label in ("CIVIC MONITORING REPORT", "Weaknesses", "Method of inquiry", "Total cost", "Sent on"):
        assert label in page
    assert "Punti di debolezza" not in page
    client.get(reverse("public:language", args=["it"]), {"next": "/"})
    assert "Punti di debolezza" in client.get(reverse("public:report_detail", args=[report.pk])).text


def test_browser_language_is_honoured(client):
    html = client.get(reverse("public:report_list"), headers={"accept-language": "en"}).text
    assert "Published reports" in html


def po_messages() -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for every entry of the .po file, header excluded."""

    def unquote(chunk: str) -> str:
        escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
        text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', chunk))
        return re.sub(r"\\(.)", lambda m: escapes.get(m[1], m[1]), text)

    entries = []
    for block in PO_FILE.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not match:
            continue
        msgid = unquote(match[1])
        strs = [unquote(m) for m in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)]
        if msgid:
            entries.append((msgid, strs, "#, fuzzy" in block))
    return entries


def test_english_catalogue_is_complete_and_compiled():
    entries = po_messages()
    assert len(entries) > 100
    untranslated = [msgid for msgid, strs, fuzzy in entries if fuzzy or not all(strs)]
    assert not untranslated, f"translate these in {PO_FILE}: {untranslated}"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, strs, _ in entries
        if "%(counter)s" not in msgid and compiled.gettext(msgid) != strs[0]
    ]
    assert not stale, f"django.mo is older than django.po: run `make messages` ({stale[:5]})"
