"""Attachments through the API: the upload view's own service, permission and content checks."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile

from monitora.attachments.models import Attachment
from monitora.attachments.permissions import can_manage_attachments
from monitora.attachments.selectors import attachment_list
from monitora.attachments.services import attachment_create, attachment_delete
from monitora.core.siteurl import site_url

from .author import ERRORS, MAX_ID, TokenAuth, _get_mine
from .errors import ApiError, reject_unknown_params

router = Router(auth=TokenAuth(), tags=["autori"])


class AttachmentOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    caption: str
    is_cover: bool
    url: str
    # Read from the photo before its metadata was stripped; private, offered as the report location.
    gps_latitude: float | None
    gps_longitude: float | None


def attachment_out(attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "caption": attachment.caption,
        "is_cover": attachment.is_cover,
        "url": site_url() + reverse("attachments:file", args=[attachment.pk]),
        "gps_latitude": attachment.gps_latitude,
        "gps_longitude": attachment.gps_longitude,
    }


def _manageable(user, report_id: int):
    report = _get_mine(user, report_id)
    if not can_manage_attachments(user, report):
        raise PermissionDenied("Gli allegati si cambiano solo nelle bozze o nei report da correggere")
    return report


@router.get(
    "/author/reports/{report_id}/attachments",
    response={200: list[AttachmentOut], **ERRORS},
    url_name="author_attachment_list",
)
def author_attachment_list(request, report_id: int = Path(..., ge=1, le=MAX_ID)):
    reject_unknown_params(request, set())
    return [attachment_out(a) for a in attachment_list(report=_get_mine(request.auth, report_id))]


@router.post(
    "/author/reports/{report_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    url_name="author_attachment_create",
)
def author_attachment_create(
    request,
    file: File[UploadedFile],
    caption: str = Form("", max_length=300),
    report_id: int = Path(..., ge=1, le=MAX_ID),
):
    """Upload a photo or a document (multipart `file`, optional `caption`): checked by content and
    size, photos re-encoded without metadata, exactly as in the web form."""
    reject_unknown_params(request, set())
    report = _manageable(request.auth, report_id)
    if "\x00" in caption:
        raise ApiError(400, "Dati non validi: caption: carattere NUL non ammesso")
    attachment = attachment_create(report=report, uploaded_file=file, by=request.auth, caption=caption)
    return Status(201, attachment_out(attachment))


@router.delete(
    "/author/reports/{report_id}/attachments/{attachment_id}",
    response={204: None, **ERRORS},
    url_name="author_attachment_delete",
)
def author_attachment_delete(
    request, report_id: int = Path(..., ge=1, le=MAX_ID), attachment_id: int = Path(..., ge=1, le=MAX_ID)
):
    reject_unknown_params(request, set())
    report = _manageable(request.auth, report_id)
    attachment = get_object_or_404(Attachment, pk=attachment_id, report=report)
    with transaction.atomic():
        attachment_delete(attachment=attachment, by=request.auth)
    return Status(204, None)
