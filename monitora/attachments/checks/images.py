"""Image checks and re-encoding.

Order matters: dimensions are checked from the header before any pixel is decoded (image
bombs), `verify()` checks the structure, a full decode proves the file is a complete image
(truncated files and polyglots with a valid magic number but no valid image data fail here),
GPS is read from EXIF, and the pixels are re-encoded into a fresh file that carries no metadata
at all (EXIF, XMP, ICC profile, comments, text chunks) and no bytes of the original.
"""

import io
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps

# Detected MIME type -> (Pillow decoder, output format, output MIME type, output extension).
# GIF becomes PNG (first frame): animations are not kept, and PNG is lossless for palettes.
IMAGE_TYPES: dict[str, tuple[str, str, str, str]] = {
    "image/jpeg": ("JPEG", "JPEG", "image/jpeg", ".jpg"),
    "image/png": ("PNG", "PNG", "image/png", ".png"),
    "image/gif": ("GIF", "PNG", "image/png", ".png"),
    "image/webp": ("WEBP", "WEBP", "image/webp", ".webp"),
}
THUMBNAIL_SIZES = (270, 180, 90)
THUMBNAIL_FORMAT = ("WEBP", "image/webp", ".webp")
# Any error Pillow's decoders raise on a malformed file.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
)


@dataclass
class ProcessedImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    gps: tuple[float, float] | None
    thumbnails: dict[int, bytes] = field(default_factory=dict)


def process_image(data: bytes, mime: str, *, name: str) -> ProcessedImage:
    """Check an uploaded image and return it re-encoded without metadata, plus thumbnails."""
    decoder, out_format, out_mime, out_ext = IMAGE_TYPES[mime]
    try:
        # Pillow warns between MAX_IMAGE_PIXELS and twice it and raises above; our own check
        # refuses anything over the limit either way. (No warnings.catch_warnings() here: it
        # is not thread-safe.)
        with Image.open(io.BytesIO(data), formats=[decoder]) as probe:
            _check_dimensions(probe.size, name=name)
            probe.verify()
        max_side = settings.ATTACHMENT_IMAGE_MAX_SIDE
        with Image.open(io.BytesIO(data), formats=[decoder]) as img:
            gps = read_gps(img)
            if decoder == "JPEG":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the photo is far larger than
                # what we keep: less memory and time per upload.
                img.draft(img.mode, (max_side, max_side))
            img.load()
            upright = ImageOps.exif_transpose(img)
            clean = _clean_copy(upright, out_format)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name) from None
    except _DECODE_ERRORS:
        raise ValidationError(
            _("«%(name)s» non è un'immagine valida: il file è danneggiato, incompleto o non è un %(fmt)s.")
            % {"name": name, "fmt": decoder},
            code="invalid_image",
        ) from None
    if max(clean.size) > max_side:
        clean.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return ProcessedImage(
        data=_encode(clean, out_format),
        content_type=out_mime,
        extension=out_ext,
        width=clean.width,
        height=clean.height,
        gps=gps,
        thumbnails=make_thumbnails(clean),
    )


def _check_dimensions(size: tuple[int, int], *, name: str) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise ValidationError(_("«%(name)s»: l'immagine non ha dimensioni valide.") % {"name": name})
    if width * height > settings.ATTACHMENT_MAX_IMAGE_PIXELS:
        raise _too_many_pixels(name, width, height)


def _too_many_pixels(name: str, width: int | None = None, height: int | None = None) -> ValidationError:
    limit_mp = settings.ATTACHMENT_MAX_IMAGE_PIXELS / 1_000_000
    dims = f" ({width}×{height} px)" if width else ""
    return ValidationError(
        _("«%(name)s»: l'immagine è troppo grande%(dims)s; il limite è %(limit)s megapixel.")
        % {"name": name, "dims": dims, "limit": f"{limit_mp:g}"},
        code="too_many_pixels",
    )


def _clean_copy(img: Image.Image, out_format: str) -> Image.Image:
    """A new image holding only pixels: no info dict, so no EXIF/XMP/ICC/comment is re-written."""
    has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    if out_format == "JPEG":
        mode = "L" if img.mode in ("1", "L") else "RGB"
    else:
        mode = "RGBA" if has_alpha else ("L" if img.mode in ("1", "L") else "RGB")
    converted = img.convert(mode)
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    clean.info = {}
    return clean


def _encode(img: Image.Image, out_format: str) -> bytes:
    buffer = io.BytesIO()
    if out_format == "JPEG":
        img.save(buffer, "JPEG", quality=85, optimize=True)
    elif out_format == "WEBP":
        img.save(buffer, "WEBP", quality=85)
    else:
        img.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def make_thumbnails(img: Image.Image) -> dict[int, bytes]:
    """Bounding-box thumbnails (long side = size) in WebP, only for sizes smaller than the image."""
    thumbs: dict[int, bytes] = {}
    for size in THUMBNAIL_SIZES:
        if max(img.size) <= size:
            continue
        thumb = img.copy()
        thumb.thumbnail((size, size), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        thumb.save(buffer, THUMBNAIL_FORMAT[0], quality=80)
        thumbs[size] = buffer.getvalue()
    return thumbs


def read_gps(img: Image.Image) -> tuple[float, float] | None:
    """(latitude, longitude) in decimal degrees from EXIF GPS tags, or None if absent or absurd."""
    try:
        gps = img.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        lat = _dms_to_degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
        lon = _dms_to_degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    except _DECODE_ERRORS:
        return None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if lat == 0 and lon == 0:  # cameras without a fix often write zeros
        return None
    return round(lat, 7), round(lon, 7)


def _dms_to_degrees(dms: object, ref: object) -> float | None:
    if not isinstance(dms, tuple | list) or len(dms) != 3:
        return None
    degrees, minutes, seconds = (float(v) for v in dms)
    value = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(value):
        return None
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if isinstance(ref, str) and ref.strip().upper() in ("S", "W"):
        value = -value
    return value
