"""Content checks: what is accepted, what is refused and why, and what the stored bytes contain."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import ExifTags, Image

from monitora.attachments.checks import check_upload
from monitora.attachments.checks.filenames import sanitize_filename

from . import files


def refused(name: str, data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(files.upload(name, data))
    return excinfo.value


def test_jpeg_with_gps_is_read_then_stripped():
    original = files.jpeg(gps=(files.GPS_LAT, files.GPS_LON))
    assert b"MonitoraCam" in original and b"secret-comment" in original

    checked = check_upload(files.upload("IMG_0001.JPG", original, "image/jpeg"))

    assert checked.kind == "image" and checked.content_type == "image/jpeg"
    assert checked.gps == pytest.approx((files.GPS_LAT, files.GPS_LON), abs=1e-5)
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.format == "JPEG" and stored.size == (800, 600)
    assert not stored.getexif()
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "comment", "icc_profile", "xmp"} & set(stored.info)
    for secret in (b"Exif", b"MonitoraCam", b"SerialNo", b"secret-comment", b"FAKEICCPROFILE"):
        assert secret not in checked.data


def test_south_west_coordinates_are_negative():
    checked = check_upload(files.upload("a.jpg", files.jpeg(gps=(-33.8688, -70.6693))))
    assert checked.gps == pytest.approx((-33.8688, -70.6693), abs=1e-4)


def test_exif_orientation_is_applied_before_stripping():
    # Orientation 6 = the camera was rotated: the stored image must be upright (portrait).
    checked = check_upload(files.upload("a.jpg", files.jpeg((800, 600), orientation=6)))
    assert (checked.width, checked.height) == (600, 800)


def test_png_accepted_text_chunks_removed_alpha_kept():
    checked = check_upload(files.upload("grafico.png", files.png(alpha=True)))
    stored = Image.open(io.BytesIO(checked.data))
    assert checked.content_type == "image/png" and stored.mode == "RGBA"
    assert b"Mario Rossi" not in checked.data and "Author" not in stored.info
    assert set(checked.thumbnails) == {270, 180, 90}
    assert max(Image.open(io.BytesIO(checked.thumbnails[90])).size) == 90


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("a.gif", files.gif(), "image/png"), ("b.webp", files.webp(), "image/webp")],
)
def test_gif_and_webp_accepted(name, data, content_type):
    checked = check_upload(files.upload(name, data))
    assert checked.content_type == content_type
    assert checked.original_name.endswith(checked.extension)


def test_big_photo_is_downscaled(settings):
    settings.ATTACHMENT_IMAGE_MAX_SIDE = 500
    checked = check_upload(files.upload("a.jpg", files.jpeg((1600, 1200))))
    assert (checked.width, checked.height) == (500, 375)


def test_extension_follows_content_not_name():
    checked = check_upload(files.upload("foto.jpg", files.png()))
    assert checked.original_name == "foto.png" and checked.content_type == "image/png"


def test_oversized_file_refused_with_clear_message():
    data = b"\xff\xd8\xff" + bytes(8 * 1024 * 1024)
    with translation.override("it"):
        error = refused("video.jpg", data)
    assert error.code == "too_large"
    assert error.messages == ["«video.jpg» supera il limite di 8 MB per file (pesa 8,1 MB)."]
    with translation.override("en"):
        assert "8.1" in refused("video.jpg", data).messages[0]


def test_limit_is_configurable(settings):
    settings.ATTACHMENT_MAX_SIZE = 1000
    assert refused("a.png", files.png()).code == "too_large"


def test_empty_file_refused():
    assert refused("a.pdf", b"").code == "empty"


@pytest.mark.parametrize("data", [files.SHELL_SCRIPT, files.PHP_SCRIPT])
def test_script_renamed_jpg_refused(data):
    error = refused("foto.jpg", data)
    assert error.code == "extension_mismatch"
    assert "foto.jpg" in error.messages[0]


def test_image_bomb_refused_before_decoding():
    data = files.png_bomb()
    assert len(data) < 1000
    error = refused("bomba.png", data)
    assert error.code == "too_many_pixels" and "40 megapixel" in error.messages[0]


def test_image_just_over_our_limit_refused(settings):
    settings.ATTACHMENT_MAX_IMAGE_PIXELS = 100 * 100
    assert refused("a.png", files.png((101, 100))).code == "too_many_pixels"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("polyglot.jpg", files.JPEG_HTML_POLYGLOT),
        ("troncata.jpg", files.jpeg()[:3000]),
        ("troncata.png", files.png()[:-40]),
    ],
)
def test_polyglot_and_truncated_images_refused(name, data):
    assert refused(name, data).code == "invalid_image"


def test_trailing_payload_after_valid_image_is_dropped_by_reencoding():
    checked = check_upload(files.upload("a.jpg", files.jpeg() + files.HTML_PAGE))
    assert b"<script>" not in checked.data


@pytest.mark.parametrize("name", ["logo.svg", "logo.png", "logo.csv"])
def test_svg_with_script_refused(name):
    error = refused(name, files.SVG_WITH_SCRIPT)
    assert error.code == "svg_not_allowed"


@pytest.mark.parametrize("name", ["pagina.html", "dati.csv", "pagina"])
def test_html_refused(name):
    assert refused(name, files.HTML_PAGE).code == "html_not_allowed"


def test_pdf_accepted():
    checked = check_upload(files.upload("relazione.pdf", files.pdf()))
    assert checked.kind == "document" and checked.content_type == "application/pdf"
    assert checked.data == files.pdf()


@pytest.mark.parametrize(
    "data",
    [
        files.pdf_with_javascript(),
        files.pdf_with_javascript(escaped=True),
        files.pdf_with_hidden_javascript(),
    ],
    ids=["plain", "name-escaped", "in-compressed-object-stream"],
)
def test_pdf_with_javascript_refused(data):
    error = refused("bando.pdf", data)
    assert error.code == "pdf_active_content" and "JavaScript" in error.messages[0]


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", b"hello %PDF-1.7 %%EOF"], ids=["truncated", "late-header"]
)
def test_broken_pdf_refused(data):
    assert refused("x.pdf", data).code in {"invalid_pdf", "type_not_allowed"}


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("r.docx", files.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("t.xlsx", files.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("r.odt", files.odf("text"), "application/vnd.oasis.opendocument.text"),
        ("t.ods", files.odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
        ("t.csv", files.CSV_TEXT, "text/csv"),
        ("t.csv", "a;b\nè;à\n".encode("cp1252"), "text/csv"),
    ],
)
def test_documents_accepted(name, data, content_type):
    checked = check_upload(files.upload(name, data))
    assert checked.content_type == content_type and checked.data == data


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("macro.docx", files.docx(macro=True), "document_macros"),
        ("bomb.xlsx", files.zip_with_many_entries(), "zip_bomb"),
        ("archivio.zip", files._zip([("a.txt", b"x")]), "invalid_document"),
        ("dati.csv", b"a,b\n\x00\x01\x02", "invalid_csv"),
        ("dati.txt", files.CSV_TEXT, "type_not_allowed"),
        ("programma.exe", b"MZ\x90\x00" + bytes(200), "type_not_allowed"),
    ],
)
def test_bad_documents_refused(name, data, code):
    assert refused(name, data).code == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.png", ("passwd", ".png")),
        ("..\\..\\windows\\system32\\evil.JPG", ("evil", ".jpg")),
        ("..", ("allegato", "")),
        (".htaccess", ("htaccess", "")),
        ("foto\u202egpj.exe", ("fotogpj", ".exe")),
        ('a"; filename="x.html', ("a__ filename__x", ".html")),
        ("città di Bari.jpg", ("città di Bari", ".jpg")),
    ],
)
def test_filename_sanitised(raw, expected):
    assert sanitize_filename(raw) == expected


def test_long_filename_truncated():
    stem, ext = sanitize_filename("x" * 500 + ".pdf")
    assert len(stem) == 100 and ext == ".pdf"


def _encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password=user_password, owner_password="proprietario", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_password_protected_pdf_refused():
    assert refused("segreto.pdf", _encrypted_pdf("segreto")).code == "pdf_encrypted"


def test_pdf_with_only_owner_restrictions_accepted():
    assert (
        check_upload(files.upload("stampa-vietata.pdf", _encrypted_pdf(""))).content_type == "application/pdf"
    )


def test_unparseable_pdf_refused():
    assert refused("rotto.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n").code == "invalid_pdf"
