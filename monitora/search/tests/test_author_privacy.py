"""Issue 13: an author line holding an e-mail address is public in no channel.

One report per case (an address as the name, a name with an address inside, an address as the
handle) plus a control, read back through every public channel: page, PDF text and metadata,
API list and detail, every open-data file, the data package, the feeds and the
search box. The same for a team named after an e-mail address. The stored value stays for the editors (admin).
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from monitora.reports.authorship import public_byline, public_handle
from monitora.reports.tests.factories import ReportFactory
from monitora.teams.tests.factories import TeamFactory

from . import channels
from .helpers import make_report

ADDRESS = "doest.team@gmail.com"
OTHER = "mario.rossi@example.org"


@pytest.fixture
def reports(db):
    team = TeamFactory(name="Doest Team")
    return {
        "address": make_report(title="Wecare", author_name=ADDRESS, handle="Doest18", team=team),
        "inside": make_report(title="Scuola", author_name=f"Mario Rossi <{OTHER}>", handle="", team=None),
        "handle": make_report(title="Piazza", author_name="Classe 4B", handle=f"x {OTHER}", team=None),
        "control": make_report(title="Museo", author_name="Liceo Volta", handle="volta", team=None),
        # Teams imported from the old platform are named after its login, which may be an address.
        "team": make_report(
            title="Ponte", author_name="", handle="", team=TeamFactory(name="old.login@gmail.com")
        ),
    }


def test_rule_drops_the_whole_line_and_falls_back_to_the_team(db):
    team = TeamFactory(name="Doest Team")
    assert public_byline(ReportFactory.build(author_name=ADDRESS, team=team)) == "Doest Team"
    assert public_byline(ReportFactory.build(author_name=f"Mario <{OTHER}>", team=None)) == ""
    assert public_byline(ReportFactory.build(author_name="Liceo Volta", team=team)) == "Liceo Volta"
    assert public_handle(ReportFactory.build(handle=f"@{OTHER}")) == ""
    assert public_handle(ReportFactory.build(handle="Doest18")) == "Doest18"


def _clean(text: str) -> None:
    assert "@gmail.com" not in text and "@example.org" not in text, text[:2000]


def test_no_channel_shows_an_author_e_mail_address(client, reports, tmp_path: Path):
    for report in reports.values():
        page = client.get(reverse("public:report_detail", args=[report.pk])).content.decode()
        _clean(page)
        pdf = PdfReader(io.BytesIO(client.get(reverse("public:report_pdf", args=[report.pk])).content))
        _clean(" ".join(p.extract_text() for p in pdf.pages))
        _clean(json.dumps({str(k): str(v) for k, v in (pdf.metadata or {}).items()}))
        _clean(client.get(f"{channels.API}/reports/{report.pk}").content.decode())
    # The control keeps its author everywhere; the first falls back to its team's name.
    page = client.get(reverse("public:report_detail", args=[reports["control"].pk])).content.decode()
    assert "Liceo Volta" in page and "@volta" in page
    page = client.get(reverse("public:report_detail", args=[reports["address"].pk])).content.decode()
    assert "Di Doest Team" in page and "@Doest18" in page
    response = client.get(reverse("public:report_pdf", args=[reports["address"].pk]))
    pdf = PdfReader(io.BytesIO(response.content))
    assert pdf.metadata.author == "Doest Team"

    # The operators' text export (a command, never served) keeps the stored line for round trips.
    text = io.StringIO()
    call_command("export_report_text", str(reports["address"].pk), stdout=text)
    assert f"| Di {ADDRESS} | @Doest18" in text.getvalue()

    _clean(client.get(channels.API + "/reports", {"page_size": 100}).content.decode())
    for name in (*channels.REPORT_FILES, *channels.LINK_FILES):
        response = client.get(reverse("opendata:download", args=[name]))
        _clean(b"".join(response.streaming_content).decode())
    rows = channels.open_data_rows(client, {})
    assert rows[reports["control"].pk]["author_name"] == "Liceo Volta"
    assert rows[reports["address"].pk]["author_name"] == ""
    assert rows[reports["address"].pk]["team_name"] == "Doest Team"
    assert rows[reports["team"].pk]["team_name"] == ""
    _clean(client.get(reverse("public:report_list")).content.decode())  # the cards name the team
    _clean(client.get(reverse("opendata:feed_all")).content.decode())

    call_command("export_opendata", str(tmp_path), "--format", "datapackage", stderr=io.StringIO())
    for path in tmp_path.iterdir():
        _clean(path.read_text(encoding="utf-8"))

    # Searching by the address finds nothing: the index never holds it.
    assert channels.html_search(client, {"q": "gmail"})[1] == 0
    assert channels.html_search(client, {"q": "Liceo Volta"})[1] == 1
