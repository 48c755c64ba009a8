"""Excerpts that say something the title does not.

Authors often copy the project's title into the report's title and again into the first answer,
and OpenCoesione's project summary is often the project's title: an excerpt taken blindly repeats
the heading right above it. One rule for every excerpt: skip text that only repeats the title,
drop a title repeated at the start of a longer text, and take the first text left.
"""

import re
from collections.abc import Iterable

from django.utils.text import Truncator

_PUNCTUATION = re.compile(r"[^\w]+")


def _words(text: str) -> list[str]:
    return [w for w in (_PUNCTUATION.sub("", raw.casefold()) for raw in text.split()) if w]


def beyond_title(text: str, title: str) -> str:
    """`text` without a leading repetition of `title` (case, spacing and punctuation aside);
    "" when it says nothing more than the title."""
    raw = (text or "").split()
    if not raw:
        return ""
    title_words = _words(title or "")
    if not title_words:
        return " ".join(raw)
    matched = 0
    for index, token in enumerate(raw):
        word = _PUNCTUATION.sub("", token.casefold())
        if not word:
            continue
        if matched == len(title_words) or word != title_words[matched]:
            if matched < len(title_words):
                return " ".join(raw)  # does not start with the title
            return " ".join(raw[index:]).lstrip(" -–—:;,.")
        matched += 1
    return ""  # only the title (or the start of it)


def excerpt(title: str, texts: Iterable[str], *, length: int = 200) -> str:
    """The first of `texts` that differs from `title`, truncated to `length` characters."""
    for text in texts:
        rest = beyond_title(text, title)
        if rest:
            return Truncator(rest).chars(length)
    return ""
