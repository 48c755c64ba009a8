"""Decide what an uploaded file is by its CONTENT and whether we accept it.

The client's file name and Content-Type are never trusted: the type comes from the magic bytes
(`filetype`) and is then confirmed by actually parsing the file (Pillow, pypdf, zipfile, csv).
The extension matters in one case only: CSV has no magic bytes, so plain text is accepted as CSV
only when the name ends in .csv (and it is then checked as text).
"""

import hashlib
import math
from dataclasses import dataclass, field

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import documents
from .filenames import display_name, sanitize_filename
from .images import IMAGE_TYPES, THUMBNAIL_FORMAT, process_image

ZIP_FAMILY = {
    "application/zip",
    documents.DOCX[0],
    documents.XLSX[0],
    documents.ODT[0],
    documents.ODS[0],
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.presentation",
    "application/epub+zip",
}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp"}
ACCEPTED_LABEL = "JPEG, PNG, GIF, WebP, PDF, DOCX, XLSX, ODT, ODS, CSV"


@dataclass
class CheckedFile:
    """An accepted upload, ready to store: `data` is what will be written (re-encoded for images)."""

    kind: str
    content_type: str
    extension: str
    original_name: str
    data: bytes
    sha256: str
    width: int | None = None
    height: int | None = None
    gps: tuple[float, float] | None = None
    thumbnails: dict[int, bytes] = field(default_factory=dict)
    thumbnail_extension: str = THUMBNAIL_FORMAT[2]


def check_upload(uploaded: UploadedFile) -> CheckedFile:
    """Return the accepted file or raise ValidationError with one clear, specific message."""
    stem, user_ext = sanitize_filename(uploaded.name)
    shown = display_name(stem, user_ext)
    limit = settings.ATTACHMENT_MAX_SIZE
    if uploaded.size is not None and uploaded.size > limit:
        raise _too_large(shown, uploaded.size)
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise _too_large(shown, len(data))
    if not data:
        raise ValidationError(_("«%(name)s» è vuoto.") % {"name": shown}, code="empty")

    mime = filetype.guess_mime(data[:8192])
    if mime in IMAGE_TYPES:
        image = process_image(data, mime, name=shown)
        return CheckedFile(
            kind="image",
            content_type=image.content_type,
            extension=image.extension,
            original_name=display_name(stem, image.extension),
            data=image.data,
            sha256=hashlib.sha256(image.data).hexdigest(),
            width=image.width,
            height=image.height,
            gps=image.gps,
            thumbnails=image.thumbnails,
        )
    if mime == documents.PDF[0]:
        content_type, extension = documents.check_pdf(data, name=shown)
    elif mime in ZIP_FAMILY:
        content_type, extension = documents.check_office_zip(data, name=shown)
    elif mime is None:
        content_type, extension = _check_text(data, user_ext, name=shown)
    else:
        raise ValidationError(
            _("«%(name)s»: il tipo di file rilevato (%(mime)s) non è ammesso. Formati accettati: %(ok)s.")
            % {"name": shown, "mime": mime, "ok": ACCEPTED_LABEL},
            code="type_not_allowed",
        )
    return CheckedFile(
        kind="document",
        content_type=content_type,
        extension=extension,
        original_name=display_name(stem, extension),
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _check_text(data: bytes, user_ext: str, *, name: str) -> tuple[str, str]:
    markup = documents.looks_like_markup(data)
    if markup == "svg":
        raise ValidationError(
            _("«%(name)s»: le immagini SVG non sono ammesse (possono contenere script). Usa PNG o JPEG.")
            % {"name": name},
            code="svg_not_allowed",
        )
    if user_ext in IMAGE_EXTENSIONS:
        raise ValidationError(
            _("«%(name)s» ha l'estensione di un'immagine ma il contenuto non è un'immagine.")
            % {"name": name},
            code="extension_mismatch",
        )
    if markup == "html":
        raise ValidationError(
            _("«%(name)s»: i file HTML o XML non sono ammessi.") % {"name": name}, code="html_not_allowed"
        )
    if user_ext == ".csv":
        return documents.check_csv(data, name=name)
    raise ValidationError(
        _("«%(name)s»: tipo di file non riconosciuto o non ammesso. Formati accettati: %(ok)s.")
        % {"name": name, "ok": ACCEPTED_LABEL},
        code="type_not_allowed",
    )


def megabytes(size: int, *, round_up: bool = False) -> str:
    """Size in MB, localised; rounded up for a file over the limit so it never reads "8 of 8"."""
    value = size / (1024 * 1024)
    value = math.ceil(value * 10) / 10 if round_up else round(value, 1)
    return number_format(value, 0 if value == int(value) else 1)


def _too_large(name: str, size: int) -> ValidationError:
    return ValidationError(
        _("«%(name)s» supera il limite di %(limit)s MB per file (pesa %(size)s MB).")
        % {
            "name": name,
            "size": megabytes(size, round_up=True),
            "limit": megabytes(settings.ATTACHMENT_MAX_SIZE),
        },
        code="too_large",
    )
