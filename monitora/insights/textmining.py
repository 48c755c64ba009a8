"""Words of report texts as Italian stems: tokenising, stop words, the commonest spelling of a stem."""

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import Stemmer

WORD = re.compile(r"[^\W\d_]{3,}")
_STEMMER = Stemmer.Stemmer("italian")
# Italian function words and the words every report uses ("progetto", "intervento"): they tell
# nothing about what a report found. Snowball's list, folded, plus the domain's commonest words.
STOPWORDS = frozenset(
    """
    abbia abbiamo abbiano alla alle agli all anche avere aveva avevano che chi come con col contro cui
    dal dalla dalle dai dagli degli dei del della delle dello dopo dove essere essa esse essi esso fra
    gli hanno loro lui lei mai molto nei negli nel nella nelle nello noi non nostro nostra per perche
    piu poco poi possono presso proprio quale quali quando quanto quella quelle quelli quello questa
    queste questi questo sarebbe sara sarà sei senza sia siamo sono stata state stati stato sua sue sui
    sul sulla sulle suo tale tali tanto tra tutti tutto tutta tutte una uno vostro anche ancora gia
    cosi inoltre ogni altro altra altri altre essere fatto fare fatta stesso stessa sempre solo
    progetto progetti intervento interventi monitorato monitoraggio report
    """.split()
)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)[:60]


def tokens(text: str) -> list[tuple[str, str]]:
    """(stem, folded word) pairs of the meaningful words of `text`."""
    out = []
    for raw in WORD.findall(text or ""):
        word = fold(raw)
        if word not in STOPWORDS:
            out.append((stem(word), word))
    return out


def stems(text: str) -> Counter:
    return Counter(s for s, _w in tokens(text))


class Spellings:
    """The commonest folded word behind each stem: what a reader sees instead of "scuol"."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {}

    def add(self, pairs: list[tuple[str, str]]) -> None:
        for s, w in pairs:
            self.counts.setdefault(s, Counter())[w] += 1

    def word(self, s: str) -> str:
        found = self.counts.get(s)
        return found.most_common(1)[0][0][:80] if found else s
