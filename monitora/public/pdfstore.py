"""Report PDFs rendered once per version and kept in the default storage (S3 in production).

A version is named by the digest of the HTML the PDF is made from, so it changes exactly when
something the PDF shows changes (an edit, which also moves the lock version, a reply, a photo, the
interface language) and never otherwise. Rendering the HTML takes milliseconds; WeasyPrint takes
about a second, and runs only for a version not yet stored: in the background when a report
changes (`tasks.render_report_pdfs`), else once on the first request.
"""

import hashlib
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from monitora.reports.models import Report

from .pdf import report_pdf_from_html, report_pdf_html

PDF_DIR = "report-pdf"
MAX_AGE = 300


def _directory(report_id: int) -> str:
    return f"{PDF_DIR}/{int(report_id)}"


def _stored(report_id: int) -> list[str]:
    try:
        return default_storage.listdir(_directory(report_id))[1]
    except (FileNotFoundError, NotADirectoryError):
        return []


def stored_report_pdf(*, report: Report, context: dict) -> str:
    """Storage name of the PDF of this version of the report in the active language (made if missing)."""
    html = report_pdf_html(context=context)
    stem = f"{get_language() or 'it'}-{hashlib.sha256(html.encode()).hexdigest()[:32]}"
    for filename in _stored(report.pk):
        if filename.startswith(stem):
            return f"{_directory(report.pk)}/{filename}"
    name = default_storage.save(
        f"{_directory(report.pk)}/{stem}.pdf", ContentFile(report_pdf_from_html(html, context=context))
    )
    language = stem.split("-", 1)[0]
    for filename in _stored(report.pk):  # older versions in this language are never served again
        if filename.startswith(f"{language}-") and not filename.startswith(stem):
            default_storage.delete(f"{_directory(report.pk)}/{filename}")
    return name


def delete_report_pdfs(report_id: int) -> int:
    """Remove every stored PDF of a report that left the public site (unpublished, deleted)."""
    names = _stored(report_id)
    for filename in names:
        default_storage.delete(f"{_directory(report_id)}/{filename}")
    return len(names)


def report_pdf_response(request: HttpRequest, *, name: str, report_id: int) -> HttpResponseBase:
    """Stream a stored PDF with an ETag (its version digest) and a cache lifetime for a CDN."""
    match = re.search(r"-([0-9a-f]{32})", name)
    etag = f'"{match[1] if match else name}"'
    with default_storage.open(name, "rb") as handle:  # a few hundred kB: read whole, like the page
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="monitora-report-{int(report_id)}.pdf"'
    response["ETag"] = etag
    # The same bytes for everybody; the language comes from the cookie or the browser.
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=etag, response=response)
