"""The PDF is rendered once per version of a report, kept in storage and served from there."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from monitora.conftest import make_report
from monitora.public import pdfstore
from monitora.reports import services
from monitora.reports.models import AdministrationResponse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_stored_pdfs():
    """The in-memory test storage outlives a test, and SQLite hands out the same ids again."""
    try:
        reports = default_storage.listdir(pdfstore.PDF_DIR)[0]
    except FileNotFoundError:
        reports = []
    for report_id in reports:
        pdfstore.delete_report_pdfs(int(report_id))


@pytest.fixture
def renders(monkeypatch):
    """Count the WeasyPrint runs (the expensive step) while still producing real PDFs."""
    calls: list[int] = []
    real = pdfstore.report_pdf_from_html

    def counting(html, *, context):
        calls.append(context["report"].pk)
        return real(html, context=context)

    monkeypatch.setattr(pdfstore, "report_pdf_from_html", counting)
    return calls


def _stored(report) -> list[str]:
    return default_storage.listdir(f"{pdfstore.PDF_DIR}/{report.pk}")[1]


def test_one_render_per_version_then_served_from_storage(client, roles, renders):
    report = make_report(roles.team, status="published")
    url = reverse("public:report_pdf", args=[report.pk])
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert client.get(url).content == first.content
    assert renders == [report.pk] and len(_stored(report)) == 1
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert "public" in first["Cache-Control"] and "Accept-Language" in first["Vary"]

    AdministrationResponse.objects.create(report=report, administration_name="Comune", text="Risposta")
    second = client.get(url)  # a reply is in the PDF: a new version, the old file is gone
    assert second["ETag"] != first["ETag"] and renders == [report.pk, report.pk]
    assert len(_stored(report)) == 1
    english = client.get(url, headers={"accept-language": "en"})
    assert english["ETag"] not in (first["ETag"], second["ETag"]) and len(_stored(report)) == 2


def test_publishing_renders_in_the_background_and_unpublishing_drops_the_files(
    client, settings, roles, renders, django_capture_on_commit_callbacks
):
    settings.REPORT_PDF_PRERENDER = True
    report = make_report(roles.team, status="in_review")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    assert len(renders) == 2 and len(_stored(report)) == 2  # Italian and English, by the task
    assert client.get(reverse("public:report_pdf", args=[report.pk])).status_code == 200
    assert len(renders) == 2  # served, not rendered again
    with django_capture_on_commit_callbacks(execute=True):
        services.report_unpublish(
            report=report, by=roles.editor, expected_lock_version=report.lock_version, reason="Errore"
        )
    assert _stored(report) == []
    assert client.get(reverse("public:report_pdf", args=[report.pk])).status_code == 404


def test_the_cached_file_name_follows_the_report(client, page_cache, roles, renders):
    report = make_report(roles.team, status="published")
    url = reverse("public:report_pdf", args=[report.pk])
    client.get(url)
    client.get(url)
    assert renders == [report.pk]
    default_storage.delete(f"{pdfstore.PDF_DIR}/{report.pk}/{_stored(report)[0]}")
    assert client.get(url).content.startswith(b"%PDF")  # a lost file is rendered again


def test_stray_query_parameters_share_the_remembered_file(client, page_cache, roles, monkeypatch):
    """The PDF is keyed on the report (and language), not the query string: `?x=<random>` cannot
    make the view look for a new version on every request."""
    report = make_report(roles.team, status="published")
    url = reverse("public:report_pdf", args=[report.pk])
    looked_up: list[int] = []
    real = pdfstore.stored_report_pdf
    monkeypatch.setattr(
        "monitora.public.views.stored_report_pdf", lambda **kw: looked_up.append(1) or real(**kw)
    )
    first = client.get(url)
    assert client.get(url, {"x": "1"}).content == first.content
    assert client.get(url, {"x": "2"}).status_code == 200 and looked_up == [1]
