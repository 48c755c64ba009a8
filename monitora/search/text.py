"""Text normalisation shared by the index and the query, so both sides always agree.

Accents and case are folded in Python (no `unaccent` extension needed on PostgreSQL); PostgreSQL
then stems with its `italian` configuration, SQLite with the same Snowball Italian stemmer
(`snowballstemmer`) applied here before the text reaches FTS5.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.utils.translation import gettext as _

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Letters and digits only: every full-text operator (" * : & | ! ( ) - ^ NEAR ...) is dropped.
WORD = re.compile(r"[^\W_]+")
PHRASE = re.compile(r'"([^"]*)"')


class SearchInputError(ValueError):
    """Search input we refuse (query, filter, sort, page), with a message meant for people."""


def fold(text: str) -> str:
    """Lower-case, strip accents and control characters: "Città" and "citta" index the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (c for c in decomposed if not unicodedata.combining(c) and (c.isprintable() or c.isspace()))
    return "".join(kept).casefold()


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("italian")


def stem_words(tokens: list[str]) -> list[str]:
    return _stemmer().stemWords(tokens)


def stemmed_text(text: str) -> str:
    """What the SQLite FTS5 table stores: folded, stemmed words separated by spaces."""
    return " ".join(stem_words(words(text)))


@dataclass
class ParsedQuery:
    """Terms that must all match; a term of several words is a phrase (adjacent words)."""

    terms: list[list[str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def display(self) -> str:
        return " ".join(f'"{" ".join(t)}"' if len(t) > 1 else t[0] for t in self.terms)


def parse_query(raw: str) -> ParsedQuery:
    """Reduce free text to words and quoted phrases; everything else is treated as a separator."""
    if len(raw) > MAX_QUERY_LENGTH:
        raise SearchInputError(
            _("La ricerca è troppo lunga: al massimo %(max)d caratteri.") % {"max": MAX_QUERY_LENGTH}
        )
    terms: list[list[str]] = []
    for phrase in PHRASE.findall(raw):
        tokens = words(phrase)
        if tokens:
            terms.append(tokens)
    rest = PHRASE.sub(" ", raw)
    terms.extend([token] for token in words(rest))
    unique: list[list[str]] = []
    for term in terms:
        if term not in unique:
            unique.append(term)
    if len(unique) > MAX_TERMS:
        raise SearchInputError(_("Troppe parole nella ricerca: al massimo %(max)d.") % {"max": MAX_TERMS})
    return ParsedQuery(terms=unique)


def fts5_match(query: ParsedQuery) -> str:
    """An FTS5 MATCH expression: each stemmed term quoted, so no token can act as an operator."""
    parts = []
    for term in query.terms:
        stems = [s.replace('"', "") for s in stem_words(term)]
        parts.append('"' + " ".join(stems) + '"')
    return " AND ".join(parts)
