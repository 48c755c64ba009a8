"""Writes to attachments. Every entry point (upload view, API, importers) goes through these.

Permission checks are the caller's job (`permissions.can_manage_attachments`); these functions
enforce the content rules, the per-report limits and the audit trail.
"""

import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from monitora.core.models import log_action
from monitora.reports.changes import reports_changed
from monitora.reports.models import Report

from .checks import CheckedFile, check_upload
from .models import Attachment, AttachmentKind
from .storage import attachment_storage

logger = logging.getLogger(__name__)


def _random_stem() -> str:
    """160 random bits in lower-case hex (safe on case-insensitive disks and in shell commands);
    a two-character prefix directory keeps directories small."""
    token = secrets.token_hex(20)
    return f"{token[:2]}/{token}"


def _store(checked: CheckedFile) -> tuple[str, dict[str, str]]:
    storage = attachment_storage()
    stem = _random_stem()
    name = storage.save(f"{stem}{checked.extension}", ContentFile(checked.data))
    thumbs = {
        str(size): storage.save(f"{stem}_{size}{checked.thumbnail_extension}", ContentFile(data))
        for size, data in checked.thumbnails.items()
    }
    return name, thumbs


def _delete_files(names: list[str]) -> None:
    storage = attachment_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # a leftover file is harmless (random name, never served); log it
            logger.warning("could not delete attachment file %s", name, exc_info=True)


def attachment_create(
    *, report: Report, uploaded_file: UploadedFile, by: Any, caption: str = ""
) -> Attachment:
    """Check the upload by content, store it under a random name and record it.

    Returns the attachment; for photos `gps_latitude`/`gps_longitude` hold the position read
    from EXIF (the stored file no longer has it) so that the form can offer it as the location.
    """
    checked = check_upload(uploaded_file)
    stored: list[str] = []
    try:
        with transaction.atomic():
            # Lock the report row: concurrent uploads to one report count and number in turn.
            locked = Report.objects.select_for_update().get(pk=report.pk)
            existing = Attachment.objects.filter(report=locked)
            if existing.count() >= settings.ATTACHMENT_MAX_PER_REPORT:
                raise ValidationError(
                    _("Questo report ha già %(n)s allegati, il massimo consentito.")
                    % {"n": settings.ATTACHMENT_MAX_PER_REPORT},
                    code="too_many_attachments",
                )
            duplicate = existing.filter(sha256=checked.sha256).first()
            if duplicate:
                raise ValidationError(
                    _("«%(name)s» è già allegato a questo report (come «%(other)s»).")
                    % {"name": checked.original_name, "other": duplicate.original_name},
                    code="duplicate",
                )
            is_image = checked.kind == AttachmentKind.IMAGE
            name, thumbs = _store(checked)
            stored = [name, *thumbs.values()]
            attachment = Attachment(
                report=locked,
                kind=checked.kind,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=len(checked.data),
                sha256=checked.sha256,
                width=checked.width,
                height=checked.height,
                thumbnails=thumbs,
                caption=caption.strip(),
                position=(existing.aggregate(m=Max("position"))["m"] or 0) + 1,
                # The first image becomes the cover, as on Monithon.
                is_cover=is_image and not existing.filter(is_cover=True).exists(),
                uploaded_by=by if getattr(by, "is_authenticated", False) else None,
                gps_latitude=checked.gps[0] if checked.gps else None,
                gps_longitude=checked.gps[1] if checked.gps else None,
            )
            attachment.file.name = name
            attachment.full_clean(validate_unique=False, validate_constraints=False)
            attachment.save()
            log_action(
                attachment,
                action="attachment.created",
                actor=by,
                data={
                    "report": locked.pk,
                    "kind": attachment.kind,
                    "name": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "had_gps": checked.gps is not None,
                },
            )
            reports_changed([locked.pk], reason="attachment.created")  # page, PDF and open data list it
    except IntegrityError:
        _delete_files(stored)
        raise ValidationError(
            _("«%(name)s» è già allegato a questo report.") % {"name": checked.original_name},
            code="duplicate",
        ) from None
    except BaseException:
        _delete_files(stored)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: Any) -> None:
    """Delete the row (audited) and, once the transaction commits, its files."""
    names = attachment.storage_names()
    was_cover = attachment.is_cover
    report_id = attachment.report_id
    log_action(
        attachment,
        action="attachment.deleted",
        actor=by,
        data={"report": report_id, "name": attachment.original_name, "sha256": attachment.sha256},
    )
    attachment.delete()
    if was_cover:
        # Keep a cover while the report has images: the next image in order takes over.
        successor = Attachment.objects.filter(report_id=report_id, kind=AttachmentKind.IMAGE).first()
        if successor:
            successor.is_cover = True
            successor.save(update_fields=["is_cover", "updated_at"])
    transaction.on_commit(lambda: _delete_files(names))
    reports_changed([report_id], reason="attachment.deleted")


@transaction.atomic
def attachment_set_cover(*, attachment: Attachment, by: Any) -> Attachment:
    """Make an image the report's cover (one per report, enforced by a constraint)."""
    if attachment.kind != AttachmentKind.IMAGE:
        raise ValidationError(_("Solo un'immagine può essere la copertina."), code="cover_not_image")
    Report.objects.select_for_update().filter(pk=attachment.report_id).first()  # serialise cover changes
    Attachment.objects.filter(report_id=attachment.report_id, is_cover=True).exclude(pk=attachment.pk).update(
        is_cover=False
    )
    attachment.is_cover = True
    attachment.save(update_fields=["is_cover", "updated_at"])
    log_action(attachment, action="attachment.cover_set", actor=by, data={"report": attachment.report_id})
    reports_changed([attachment.report_id], reason="attachment.cover_set")
    return attachment


@transaction.atomic
def attachment_update_caption(*, attachment: Attachment, caption: str, by: Any) -> Attachment:
    attachment.caption = caption.strip()
    attachment.full_clean(validate_unique=False, validate_constraints=False)
    attachment.save(update_fields=["caption", "updated_at"])
    log_action(
        attachment, action="attachment.caption_changed", actor=by, data={"caption": attachment.caption}
    )
    reports_changed([attachment.report_id], reason="attachment.caption_changed")
    return attachment


def attachments_delete_for_report(*, report: Report, by: Any) -> int:
    """Delete every attachment of a report (call before deleting the report itself)."""
    attachments = list(Attachment.objects.filter(report=report))
    for attachment in attachments:
        attachment_delete(attachment=attachment, by=by)
    return len(attachments)
