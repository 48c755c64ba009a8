"""Document checks: PDF, Office Open XML (DOCX/XLSX), OpenDocument (ODT/ODS), CSV.

Documents are stored byte for byte as uploaded, so the checks refuse what could act when the
file is opened: scripts and launch actions in PDFs, macros in office files, HTML posing as CSV.
"""

import csv
import io
import itertools
import logging
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF = ("application/pdf", ".pdf")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
ODT = ("application/vnd.oasis.opendocument.text", ".odt")
ODS = ("application/vnd.oasis.opendocument.spreadsheet", ".ods")
CSV = ("text/csv", ".csv")

# PDF names whose presence means active content: scripts, launching programs, embedded files,
# Flash/3D rich media. Checked both in the raw bytes and in every object reachable from the trailer.
PDF_FORBIDDEN_NAMES = frozenset({"JS", "JavaScript", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia"})
PDF_MAX_OBJECTS = 200_000
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

# ZIP containers: refuse archives whose declared content is absurd for an 8 MB document.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
ODF_TYPES = {ODT[0].encode(): ODT, ODS[0].encode(): ODS}

_HTML_MARKERS = ("<!doctype", "<html", "<head", "<body", "<script", "<iframe", "<svg", "<?xml", "<img", "<a ")
_ALLOWED_CONTROL = {"\t", "\n", "\r", "\f"}


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


# --- PDF ---------------------------------------------------------------------------------------


def check_pdf(data: bytes, *, name: str) -> tuple[str, str]:
    """Header at byte 0, end marker present, not encrypted, no active content (see module doc)."""
    if not data.startswith(b"%PDF-"):
        raise _refuse(
            _("«%(name)s» non è un PDF valido (intestazione mancante).") % {"name": name}, "invalid_pdf"
        )
    if b"%%EOF" not in data[-2048:]:
        raise _refuse(_("«%(name)s»: il PDF è incompleto o danneggiato.") % {"name": name}, "invalid_pdf")
    found = _pdf_raw_names(data) & PDF_FORBIDDEN_NAMES
    if not found:
        found = _pdf_object_names(data, name=name)
    if found:
        raise _refuse(
            _("«%(name)s»: il PDF contiene contenuti attivi (%(what)s) e non può essere accettato.")
            % {"name": name, "what": ", ".join(sorted(found))},
            "pdf_active_content",
        )
    return PDF


def _pdf_raw_names(data: bytes) -> set[str]:
    """Names in uncompressed PDF syntax, with #xx escapes decoded (/J#61vaScript = /JavaScript)."""
    names = set()
    for match in _PDF_NAME.finditer(data):
        raw = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        names.add(raw.decode("latin-1"))
    return names


def _pdf_object_names(data: bytes, *, name: str) -> set[str]:
    """Walk every object reachable from the trailer (including compressed object streams)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    unreadable = _refuse(
        _("«%(name)s»: il PDF non è leggibile o è danneggiato.") % {"name": name}, "invalid_pdf"
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(
                _("«%(name)s»: i PDF protetti da password non sono accettati.") % {"name": name},
                "pdf_encrypted",
            )
        found: set[str] = set()
        seen: set[tuple[int, int]] = set()
        stack: list[object] = [reader.trailer]
        visited = 0
        while stack:
            node = stack.pop()
            visited += 1
            if visited > PDF_MAX_OBJECTS:
                raise _refuse(
                    _("«%(name)s»: il PDF è troppo complesso per essere controllato.") % {"name": name},
                    "pdf_too_complex",
                )
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key not in seen:
                    seen.add(key)
                    stack.append(node.get_object())
            elif isinstance(node, DictionaryObject):
                for key_name, value in node.items():
                    if str(key_name)[1:] in PDF_FORBIDDEN_NAMES:
                        found.add(str(key_name)[1:])
                    stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(node)
            elif isinstance(node, NameObject) and str(node)[1:] in PDF_FORBIDDEN_NAMES:
                found.add(str(node)[1:])
        return found
    except ValidationError:
        raise
    except Exception:  # pypdf raises many types on hostile input; all mean "cannot vouch for it"
        logger.info("PDF refused: pypdf could not read it", exc_info=True)
        raise unreadable from None


# --- ZIP-based office documents ----------------------------------------------------------------


def check_office_zip(data: bytes, *, name: str) -> tuple[str, str]:
    """DOCX/XLSX/ODT/ODS by their package structure; macros and encrypted entries refused."""
    invalid = _refuse(
        _("«%(name)s» non è un documento DOCX, XLSX, ODT o ODS valido.") % {"name": name}, "invalid_document"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_ENTRIES or sum(i.file_size for i in infos) > ZIP_MAX_UNCOMPRESSED:
                raise _refuse(
                    _("«%(name)s»: archivio sospetto (troppi file o troppo grande una volta estratto).")
                    % {"name": name},
                    "zip_bomb",
                )
            names = {i.filename for i in infos}
            if any(i.flag_bits & 0x1 for i in infos):
                raise _refuse(
                    _("«%(name)s»: i documenti protetti da password non sono accettati.") % {"name": name},
                    "document_encrypted",
                )
            lowered = {n.lower() for n in names}
            if any(n.endswith("vbaproject.bin") or n.startswith(("basic/", "scripts/")) for n in lowered):
                raise _refuse(
                    _("«%(name)s»: i documenti con macro non sono accettati.") % {"name": name},
                    "document_macros",
                )
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                detected = ODF_TYPES.get(archive.read("mimetype").strip())
                if detected and "content.xml" in names:
                    return detected
            if (
                "[Content_Types].xml" in names
                and archive.getinfo("[Content_Types].xml").file_size < 1_000_000
            ):
                types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in types:
                    raise _refuse(
                        _("«%(name)s»: i documenti con macro non sono accettati.") % {"name": name},
                        "document_macros",
                    )
                for main, detected in OOXML_MAIN.items():
                    if main in types:
                        return detected
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, EOFError):
        raise invalid from None
    raise invalid


# --- CSV ---------------------------------------------------------------------------------------


def looks_like_markup(data: bytes) -> str | None:
    """'svg' or 'html' if the bytes are (or start like) SVG/HTML/XML markup, else None."""
    head = data[:4096].decode("utf-8", "replace").lstrip("\ufeff \t\r\n").lower()
    if "<svg" in head:
        return "svg"
    if head.startswith(("<", "<!--")) or any(m in head for m in _HTML_MARKERS if m != "<a "):
        return "html"
    return None


def check_csv(data: bytes, *, name: str) -> tuple[str, str]:
    """Plain text in UTF-8 or Windows-1252, no binary bytes, no markup, parseable as CSV."""
    not_text = _refuse(_("«%(name)s» non è un file CSV di testo valido.") % {"name": name}, "invalid_csv")
    if b"\x00" in data:
        raise not_text
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise not_text from None
    if any(ch < " " and ch not in _ALLOWED_CONTROL for ch in text):
        raise not_text
    if looks_like_markup(data) or "<script" in text.lower():
        raise _refuse(
            _("«%(name)s» contiene HTML o script: non è un CSV accettabile.") % {"name": name}, "csv_markup"
        )
    try:
        rows = list(itertools.islice(csv.reader(io.StringIO(text[:65536])), 50))
    except csv.Error:
        raise not_text from None
    if not any(rows):
        raise not_text
    return CSV
