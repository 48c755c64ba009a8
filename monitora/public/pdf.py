"""PDF of a published report, rendered by WeasyPrint from the same context as the web page.

WeasyPrint fetches the images it embeds. Uploaded photos (already checked and re-encoded by the
attachments app) are read from storage. Report links are user input, so the fetcher only
contacts hosts listed in `settings.PDF_IMAGE_HOSTS` (the ASOC archive by default), never
follows redirects, and refuses large bodies; other images are listed as links instead.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from monitora.attachments.models import Attachment
from monitora.attachments.storage import attachment_storage

# Importing WeasyPrint switches Pillow, process-wide, to accept truncated images; the upload checks
# (attachments) rely on Pillow refusing them, so put Pillow's default back. A truncated photo is
# then simply left out of a PDF.
ImageFile.LOAD_TRUNCATED_IMAGES = False

MAX_IMAGE_BYTES = 8 * 1024 * 1024
ATTACHMENT_SCHEME = "attachment:"
PDF_STYLESHEET = "css/report-pdf.css"


def image_host_allowed(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in settings.PDF_IMAGE_HOSTS


class ReportImageFetcher(URLFetcher):
    """Fetch the report's uploaded photos from storage (`attachment:<id>`), and remote images only
    from allow-listed hosts, without redirects, with a size cap."""

    def __init__(self, attachments: Iterable[Attachment] = ()) -> None:
        super().__init__(timeout=5, allowed_protocols={"http", "https"}, allow_redirects=False)
        self.attachments = {f"{ATTACHMENT_SCHEME}{a.pk}": a for a in attachments}

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith(ATTACHMENT_SCHEME):
            return self._fetch_attachment(url)
        if not image_host_allowed(url):
            raise ValueError(f"host not allowed for PDF images: {url}")
        response = super().fetch(url, headers)
        try:
            body = response.read(MAX_IMAGE_BYTES + 1)
        finally:
            response.close()
        if len(body) > MAX_IMAGE_BYTES:
            raise ValueError(f"image larger than {MAX_IMAGE_BYTES} bytes: {url}")
        if not response.content_type.startswith("image/"):
            raise ValueError(f"not an image ({response.content_type}): {url}")
        return URLFetcherResponse(url, body, dict(response.headers.items()), response.status)

    def _fetch_attachment(self, url: str) -> URLFetcherResponse:
        attachment = self.attachments.get(url)
        if attachment is None or not attachment.is_image:  # only this report's photos
            raise ValueError(f"not a photo of this report: {url}")
        with attachment_storage().open(attachment.file.name, "rb") as handle:
            body = handle.read(MAX_IMAGE_BYTES + 1)
        if len(body) > MAX_IMAGE_BYTES:
            raise ValueError(f"image larger than {MAX_IMAGE_BYTES} bytes: {url}")
        return URLFetcherResponse(url, body, {"Content-Type": attachment.content_type})


def _stylesheet() -> CSS:
    path = finders.find(PDF_STYLESHEET)
    if path is None:  # a missing stylesheet is a deployment bug, not a reason for an unstyled PDF
        raise FileNotFoundError(PDF_STYLESHEET)
    return CSS(string=Path(path).read_text(encoding="utf-8"))


def report_pdf_html(*, context: dict[str, Any]) -> str:
    """The HTML the PDF is made from: the report page context (`presenters.report_context`) plus
    the images and replies the PDF lays out. Its digest names the stored PDF (`pdfstore`)."""
    materials = context["sidebar"].materials
    context = {
        **context,
        "pdf_images": [link for link in materials.images if image_host_allowed(link.url)],
        "linked_images": [link for link in materials.images if not image_host_allowed(link.url)],
        # The right of reply travels with the report (the page shows it through moderation's partial).
        "official_responses": list(context["report"].official_responses.visible()),
    }
    return render_to_string("public/report_pdf.html", context)


def report_pdf_from_html(html: str, *, context: dict[str, Any]) -> bytes:
    """Run WeasyPrint (the expensive part: about a second) on the HTML of `report_pdf_html`."""
    fetcher = ReportImageFetcher(attachments=context["sidebar"].materials.uploads)
    document = HTML(string=html, base_url=context["permalink"], url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[_stylesheet()])


def report_pdf_bytes(*, context: dict[str, Any]) -> bytes:
    """Render the report page context as a PDF document."""
    return report_pdf_from_html(report_pdf_html(context=context), context=context)
