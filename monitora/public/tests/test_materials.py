"""Uploaded photos and documents (attachments app) on the report page and in its PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from monitora.attachments.tests import files
from monitora.attachments.tests.factories import AttachmentFactory
from monitora.public.pdf import ReportImageFetcher

from .reports import make_rich_report

pytestmark = pytest.mark.django_db


def test_page_shows_uploaded_photos_and_documents_and_uses_the_photo_for_previews(client, settings):
    settings.SITE_URL = "https://monitora.example.org"
    report = make_rich_report()
    photo = AttachmentFactory(report=report, name="cantiere.jpg", caption="Il cantiere <chiuso>")
    document = AttachmentFactory(report=report, name="delibera.pdf", data=files.pdf())
    html = client.get(reverse("public:report_detail", args=[report.pk])).text
    assert f'src="{reverse("attachments:thumbnail", args=[photo.pk, 270])}"' in html
    assert "Il cantiere &lt;chiuso&gt;" in html
    assert (
        f'href="{reverse("attachments:file", args=[document.pk])}" download>Allegato 1: delibera.pdf' in html
    )
    preview = f"https://monitora.example.org{reverse('attachments:file', args=[photo.pk])}"
    assert f'<meta property="og:image" content="{preview}">' in html
    assert client.get(reverse("attachments:thumbnail", args=[photo.pk, 270])).status_code == 200


def test_pdf_embeds_uploaded_photos_from_storage_and_lists_documents(client):
    report = make_rich_report()
    report.links.all().delete()  # no remote images: whatever image the PDF holds is the upload
    AttachmentFactory(report=report, name="cantiere.jpg", caption="Il cantiere chiuso")
    AttachmentFactory(report=report, name="delibera.pdf", data=files.pdf())
    content = client.get(reverse("public:report_pdf", args=[report.pk])).content
    reader = PdfReader(io.BytesIO(content))
    assert any(page.images for page in reader.pages)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Il cantiere chiuso" in text and "Allegato 1: delibera.pdf" in text


def test_pdf_fetcher_reads_only_this_reports_photos():
    report = make_rich_report()
    own = AttachmentFactory(report=report)
    other = AttachmentFactory(data=files.png())  # a photo of another report
    fetcher = ReportImageFetcher(attachments=[own])
    assert fetcher.fetch(f"attachment:{own.pk}").read()[:2] == b"\xff\xd8"
    with pytest.raises(ValueError, match="not a photo of this report"):
        fetcher.fetch(f"attachment:{other.pk}")
