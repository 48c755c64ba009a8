"""Text normalisation shared by the SQLite full-text index and its queries.

PostgreSQL does this itself (`monitora_it` configuration); on SQLite we fold case and accents and
apply the same Snowball Italian stemmer, so both databases find "scuole" when asked for "scuola".
"""

import re
import unicodedata
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_STEMMER = Stemmer.Stemmer("italian")
# Short, very frequent Italian words that carry no meaning in a search (subset of Snowball's list).
STOPWORDS = frozenset(
    "a ad al alla alle agli ai all con col da dal dalla dalle dai dagli dei degli delle della dello del di "
    "e ed il in la le lo gli i nel nella nelle nei negli per su sul sulla sui tra fra un una uno o che non "
    "come ma se si sono è".split()
)


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_terms(text: str) -> list[str]:
    """Unaccented, lower-cased Italian stems of the words of `text`, stopwords removed."""
    words = [_fold(w) for w in _WORD.findall(text or "")]
    return _STEMMER.stemWords([w for w in words if w not in STOPWORDS])


def fts_document(*parts: str | None) -> str:
    return " ".join(search_terms(" ".join(p for p in parts if p)))
