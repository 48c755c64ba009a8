"""Serving attachments (permission-checked) and the htmx-friendly attachments panel.

Files are never served from a public directory: every byte goes through `attachment_file` /
`attachment_thumbnail`, which call `can_view_attachment`. Unknown ids and forbidden ids give the
same 404, so ids of drafts cannot be probed.
"""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from monitora.reports.models import Report, ReportLink

from . import links as link_services
from . import services
from .checks import megabytes
from .checks.filenames import display_name, sanitize_filename
from .checks.images import THUMBNAIL_SIZES
from .models import Attachment
from .permissions import can_manage_attachments, can_view_attachment
from .selectors import attachment_panel_context
from .storage import attachment_storage
from .uploads import SizeLimitUploadHandler

MAX_FILES_PER_REQUEST = 10
# Response headers for user-supplied bytes: no sniffing, no scripts, no plugins, no framing.
_FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


# --- serving -------------------------------------------------------------------------------


def _visible_attachment(request: HttpRequest, pk: int) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("report"), pk=pk)
    if not can_view_attachment(request.user, attachment):
        raise Http404
    return attachment


def _file_response(
    attachment: Attachment, name: str, content_type: str, *, as_attachment: bool
) -> FileResponse:
    try:
        handle = attachment_storage().open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=as_attachment, filename=attachment.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = _FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-site"
    if attachment.report.is_published:
        response["Cache-Control"] = "public, max-age=600"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """Images inline (so pages can show them); every document as a download."""
    attachment = _visible_attachment(request, pk)
    return _file_response(
        attachment, attachment.file.name, attachment.content_type, as_attachment=not attachment.is_image
    )


@require_safe
def attachment_thumbnail(request: HttpRequest, pk: int, size: int) -> FileResponse:
    attachment = _visible_attachment(request, pk)
    if not attachment.is_image or size not in THUMBNAIL_SIZES:
        raise Http404
    name = attachment.thumbnails.get(str(size))
    if name is None:  # the image is already smaller than the thumbnail: serve it as it is
        return _file_response(attachment, attachment.file.name, attachment.content_type, as_attachment=False)
    return _file_response(attachment, name, "image/webp", as_attachment=False)


# --- the panel (upload, delete, cover, links) ----------------------------------------------


def _manageable_report(request: HttpRequest, report_id: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("team"), pk=report_id)
    if not can_manage_attachments(request.user, report):
        raise Http404
    return report


def _panel_response(
    request: HttpRequest,
    report: Report,
    *,
    errors: list[str] | None = None,
    created: list[Attachment] | None = None,
    link_errors: list[str] | None = None,
) -> HttpResponse:
    next_url = request.POST.get("next", "") if request.method == "POST" else ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    context = attachment_panel_context(
        report=report,
        errors=errors,
        link_errors=link_errors,
        next_url=next_url,
        show_links=request.POST.get("show_links", "1") == "1" if request.method == "POST" else True,
    )
    failed = bool(errors or link_errors)
    if request.htmx:
        # htmx swaps only 2xx responses: errors are part of the returned panel.
        response = render(request, "attachments/_upload.html", context)
        located = next((a for a in created or [] if a.has_gps), None)
        if located:
            # The guided form's location picker listens for this event to offer the position.
            response["HX-Trigger"] = json.dumps(
                {
                    "monitora:photo-location": {
                        "attachment": located.pk,
                        "lat": located.gps_latitude,
                        "lon": located.gps_longitude,
                    }
                }
            )
        return response
    if request.method == "POST" and not failed:
        return redirect(next_url) if next_url else redirect("attachments:panel", report_id=report.pk)
    return render(request, "attachments/manage.html", context, status=400 if failed else 200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def attachment_panel(request: HttpRequest, report_id: int) -> HttpResponse:
    """GET shows the panel; POST uploads files.

    CSRF is exempted here only to install the size-limiting upload handler before the body is
    parsed (Django's documented pattern); `_attachment_panel` is CSRF-protected.
    """
    if request.method == "POST":
        cap = settings.ATTACHMENT_MAX_SIZE * MAX_FILES_PER_REQUEST + 1024 * 1024
        if int(request.META.get("CONTENT_LENGTH") or 0) > cap:
            return HttpResponse(_("Richiesta troppo grande."), status=413, content_type="text/plain")
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _attachment_panel(request, report_id)


@csrf_protect
@login_required
def _attachment_panel(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _manageable_report(request, report_id)
    if request.method != "POST":
        return _panel_response(request, report)
    files = request.FILES.getlist("file")  # parses the body: fills request.oversized_uploads
    errors: list[str] = []
    for raw_name in getattr(request, "oversized_uploads", []):
        stem, ext = sanitize_filename(raw_name)
        errors.append(
            _("«%(name)s» supera il limite di %(limit)s MB per file.")
            % {"name": display_name(stem, ext), "limit": megabytes(settings.ATTACHMENT_MAX_SIZE)}
        )
    if len(files) > MAX_FILES_PER_REQUEST:
        errors.append(_("Puoi caricare al massimo %(n)s file alla volta.") % {"n": MAX_FILES_PER_REQUEST})
        files = []
    if not files and not errors:
        errors.append(_("Scegli almeno un file da caricare."))
    created: list[Attachment] = []
    caption = request.POST.get("caption", "")[:300]
    for uploaded in files:
        try:
            created.append(
                services.attachment_create(
                    report=report, uploaded_file=uploaded, by=request.user, caption=caption
                )
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    return _panel_response(request, report, errors=errors, created=created)


def _attachment_for_change(request: HttpRequest, pk: int) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("report__team"), pk=pk)
    if not can_manage_attachments(request.user, attachment.report):
        raise Http404
    return attachment


@require_POST
@login_required
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment_for_change(request, pk)
    report = attachment.report
    services.attachment_delete(attachment=attachment, by=request.user)
    return _panel_response(request, report)


@require_POST
@login_required
def attachment_cover(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment_for_change(request, pk)
    errors: list[str] = []
    try:
        services.attachment_set_cover(attachment=attachment, by=request.user)
    except ValidationError as exc:
        errors = exc.messages
    return _panel_response(request, attachment.report, errors=errors)


@require_POST
@login_required
def link_add(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _manageable_report(request, report_id)
    errors: list[str] = []
    try:
        link_services.report_link_add(
            report=report,
            kind=request.POST.get("kind", ""),
            url=request.POST.get("url", ""),
            title=request.POST.get("title", ""),
            by=request.user,
        )
    except ValidationError as exc:
        errors = exc.messages
    return _panel_response(request, report, link_errors=errors)


@require_POST
@login_required
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ReportLink.objects.select_related("report__team"), pk=pk)
    if link.kind not in (ReportLink.Kind.SOURCE, ReportLink.Kind.VIDEO) or not can_manage_attachments(
        request.user, link.report
    ):
        raise Http404
    link_services.report_link_delete(link=link, by=request.user)
    return _panel_response(request, link.report)
