import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from weasyprint.urls import URLFetcher, URLFetcherResponse

from monitora.public.pdf import MAX_IMAGE_BYTES, ReportImageFetcher
from monitora.reports.selectors import report_document

from .reports import RICH_ANSWERS, RICH_SNAPSHOT, make_rich_report, shown_pieces

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_has_images(content: bytes) -> bool:
    # WeasyPrint shares one resource dictionary between pages, so count presence, not pages.
    return any(page.images for page in PdfReader(io.BytesIO(content)).pages)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_pdf_holds_every_heading_answer_and_the_official_data(client):
    report = make_rich_report()
    response = client.get(reverse("public:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="monitora-report-{report.pk}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "REPORT DI MONITORAGGIO CIVICO" in text
    assert report.title in text
    assert "Inviato il 15/03/2021 | Di Team Doest | @Doest18" in text
    for section in report_document(report).sections:
        assert section.heading in text, section.heading
    for key, value in RICH_ANSWERS.items():
        if len(value) > 2:
            for piece in shown_pieces(value):
                assert piece in text, key
    for expected in ("Informazioni ufficiali al momento del monitoraggio", RICH_SNAPSHOT["title"],
                     "€ 1.234.567,50", "15/07/2020", "Raccolta di informazioni via web",
                     "Non è stato possibile valutare l’efficacia dell’intervento", "Delibera regionale",
                     "Il video del team", f"/report/{report.pk}/"):  # fmt: skip
        assert expected in text, expected
    assert "javascript:" not in text


def test_pdf_carries_visible_official_responses_only(client):
    from django.utils import timezone

    from monitora.reports.models import AdministrationResponse

    report = make_rich_report()
    AdministrationResponse.objects.create(
        report=report, administration_name="Comune di Moncalieri", text="Il bando uscirà a settembre."
    )
    AdministrationResponse.objects.create(report=report, administration_name="Comune nascosto",
                                          text="Testo rimosso.", hidden_at=timezone.now())  # fmt: skip
    text = pdf_text(client.get(reverse("public:report_pdf", args=[report.pk])).content)
    assert "Risposte ufficiali delle amministrazioni" in text
    assert "Comune di Moncalieri" in text and "Il bando uscirà a settembre." in text
    assert "Comune nascosto" not in text and "Testo rimosso." not in text


def test_pdf_is_translated_with_the_interface(client):
    report = make_rich_report()
    client.get(reverse("public:language", args=["en"]), {"next": "/"})
    text = pdf_text(client.get(reverse("public:report_pdf", args=[report.pk])).content)
    assert "CIVIC MONITORING REPORT" in text and "Weaknesses" in text
    assert RICH_ANSWERS["punti_deboli"] in text  # answers stay as written


def test_pdf_embeds_photos_only_from_allowed_hosts(client, settings, monkeypatch):
    settings.PDF_IMAGE_HOSTS = ["files.ascuoladiopencoesione.it"]
    fetched: list[str] = []

    def fake_fetch(self, url, headers=None):
        fetched.append(url)
        return URLFetcherResponse(url, png_bytes(), {"Content-Type": "image/png"}, 200)

    monkeypatch.setattr(URLFetcher, "fetch", fake_fetch)
    report = make_rich_report()
    content = client.get(reverse("public:report_pdf", args=[report.pk])).content
    assert fetched == ["https://files.ascuoladiopencoesione.it/foto-cantiere.png"]
    assert pdf_has_images(content)
    assert "https://example.org/altra-foto.jpg" in pdf_text(content)  # listed as a link instead
    settings.PDF_IMAGE_HOSTS = []
    assert not pdf_has_images(client.get(reverse("public:report_pdf", args=[report.pk])).content)
    assert len(fetched) == 1


def test_image_fetcher_refuses_other_hosts_and_oversized_or_non_image_bodies(settings, monkeypatch):
    settings.PDF_IMAGE_HOSTS = ["img.example.org"]
    fetcher = ReportImageFetcher()
    with pytest.raises(ValueError, match="host not allowed"):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError, match="host not allowed"):
        fetcher.fetch("file:///etc/passwd")

    body = {"value": b"x" * (MAX_IMAGE_BYTES + 1), "type": "image/png"}
    monkeypatch.setattr(
        URLFetcher,
        "fetch",
        lambda self, url, headers=None: URLFetcherResponse(
            url, body["value"], {"Content-Type": body["type"]}
        ),
    )
    with pytest.raises(ValueError, match="larger than"):
        fetcher.fetch("https://img.example.org/huge.png")
    body.update(value=b"<html>", type="text/html")
    with pytest.raises(ValueError, match="not an image"):
        fetcher.fetch("https://img.example.org/page")
    assert not fetcher._allowed_protocols - {"http", "https"}


def test_pdf_of_a_minimal_report_renders(client):
    from monitora.reports.tests.factories import ReportFactory

    report = ReportFactory(published=True, title="Solo il titolo")
    response = client.get(reverse("public:report_pdf", args=[report.pk]))
    assert response.content.startswith(b"%PDF")
    assert "Solo il titolo" in pdf_text(response.content)
    assert re.search(r"Dati ufficiali non disponibili", pdf_text(response.content))


def test_importing_weasyprint_leaves_pillow_refusing_truncated_images():
    from PIL import ImageFile

    import monitora.public.pdf  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_pdf_of_the_example_report_reflows_its_text_and_nests_its_sections(client):
    """Issue 13: the PDF is laid out from the same reflowed paragraphs and nested headings as the page."""
    from django.conf import settings
    from django.core.management import call_command

    from monitora.reports.models import Report

    example = settings.BASE_DIR / "data" / "examples" / "wecare-report.txt"
    call_command("import_report_text", str(example), "--questionnaire", "v2019", stdout=io.StringIO())
    report = Report.objects.get(title__startswith="WECARE")
    html = client.get(reverse("public:report_detail", args=[report.pk])).text
    assert re.search(r"<p>[^<]*POR FESR per la realizzazione di welfare territoriali[^<]*</p>", html)
    content = client.get(reverse("public:report_pdf", args=[report.pk])).content
    lines = [" ".join(line.split()) for page in PdfReader(io.BytesIO(content)).pages
             for line in page.extract_text().splitlines()]  # fmt: skip
    # The source breaks its lines after "… POR FESR per" and "… a un concreto": the PDF does not.
    assert not any(line.endswith(("POR FESR per", "ambire a un concreto")) for line in lines), lines
    assert "Analisi dei bisogni dei cittadini disoccupati;" in lines  # a list item, on its own line
    assert "doest.team@gmail.com" not in " ".join(lines)
