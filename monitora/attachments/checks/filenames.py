"""User file names are display text only: reduce them to a safe, short, single path component."""

import re
import unicodedata

FALLBACK_STEM = "allegato"
MAX_STEM = 100
# Anything that is not a letter, digit, space, dot, dash, underscore or bracket becomes "_".
_UNSAFE = re.compile(r"[^\w\s.\-()\[\]]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def sanitize_filename(raw: str | None) -> tuple[str, str]:
    """Return (stem, lower-case extension with dot or "") from a client-supplied file name.

    Drops any directory part (both / and \\ separators, so "../../etc/passwd" and
    "C:\\x\\y.jpg" keep only the last component), control and format characters (including
    bidi overrides that can disguise an extension), characters that are special in paths or
    headers, and leading dots (no hidden files, no "..").
    """
    name = unicodedata.normalize("NFKC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _SPACES.sub(" ", _UNSAFE.sub("_", name)).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9]{1,8}", ext):
        stem, ext = name, ""
    stem = stem.strip(" .")[:MAX_STEM].strip(" .") or FALLBACK_STEM
    return stem, f".{ext.lower()}" if ext else ""


def display_name(stem: str, extension: str) -> str:
    """The name shown and offered as download name: the user's stem + the extension of the
    type we detected (never the user's extension, which may lie)."""
    return f"{stem}{extension}"
