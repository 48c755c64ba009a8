"""The one filter language over published reports: a typed value and its parser.

Every channel (search page, map, statistics page and CSV, API list and statistics, feeds, open
data, project pages) turns its query string into a `ReportFilters` here and hands it to
`selectors.report_select`. Names are English (`region`, `effectiveness`, ...); the HTML pages also
accept their Italian aliases (`regione`, `efficacia`, ...). Anything else is refused with a message
that names the parameter (see docs/decisions/0005-one-filter-language.md).
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property

from django.utils.translation import gettext as _

from monitora.questionnaires.definitions import (
    EFFECTIVENESS,
    OVERALL_JUDGEMENT,
    PROGRESS_STATES,
    QUESTIONNAIRES,
)
from monitora.questionnaires.definitions import RESULTS_JUDGEMENT_2019 as RESULTS_JUDGEMENT
from monitora.teams.models import AuthorCategory

from .text import ParsedQuery, SearchInputError, parse_query

MAX_VALUES_PER_FILTER = 20
MAX_TEXT = 200
YEARS = range(2000, 2101)
CODE = re.compile(r"^[0-9]{1,3}$")

# Italian names of the HTML pages (search, map, statistics) -> canonical names.
HTML_ALIASES: dict[str, str] = {
    "regione": "region",
    "provincia": "province",
    "tema": "theme",
    "ciclo": "cycle",
    "avanzamento": "progress_state",
    "efficacia": "effectiveness",
    "giudizio": "overall_judgement",
    "valutazione": "results_judgement",
    "anno": "year",
    "autore": "author_category",
    "questionario": "questionnaire",
    "progetto": "project_code",
}
CANONICAL_TO_ALIAS = {canonical: alias for alias, canonical in HTML_ALIASES.items()}


class FilterError(SearchInputError):
    """A filter we refuse; the message names the parameter as the caller wrote it."""


@dataclass(frozen=True)
class ReportFilters:
    """Published reports matching every non-empty field; several values of one field are OR-ed."""

    q: str = ""
    region: tuple[str, ...] = ()
    province: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    cycle: tuple[str, ...] = ()
    progress_state: tuple[str, ...] = ()
    effectiveness: tuple[str, ...] = ()
    overall_judgement: tuple[str, ...] = ()
    results_judgement: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    author_category: tuple[str, ...] = ()
    questionnaire: tuple[str, ...] = ()
    project_code: tuple[str, ...] = ()

    @cached_property
    def query(self) -> ParsedQuery:
        return parse_query(self.q)

    def without(self, name: str) -> "ReportFilters":
        return replace(self, **{name: () if name != "q" else ""})

    def items(self) -> Iterable[tuple[str, tuple]]:
        """The non-empty list filters (not `q`), by canonical name."""
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "q" and value:
                yield f.name, value

    def __bool__(self) -> bool:
        return bool(self.q) or any(True for _pair in self.items())


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def _bad(name: str, value: str, allowed: Iterable[str] = ()) -> FilterError:
    message = _("Valore non valido per il filtro «%(key)s»: «%(value)s».") % {
        "key": name,
        "value": _short(value),
    }
    allowed = list(allowed)
    if allowed:
        message += " " + _("Valori ammessi: %(allowed)s.") % {"allowed": ", ".join(allowed)}
    return FilterError(message)


def _choice(allowed: Iterable[str]) -> Callable[[str, str], str]:
    codes = list(allowed)

    def parse(name: str, value: str) -> str:
        if value not in codes:
            raise _bad(name, value, codes)
        return value

    return parse


def _istat(width: int) -> Callable[[str, str], str]:
    def parse(name: str, value: str) -> str:
        if not CODE.match(value) or len(value) > width:
            raise _bad(name, value)
        return value.zfill(width)

    return parse


def _text(name: str, value: str) -> str:
    if len(value) > MAX_TEXT or "\x00" in value:
        raise _bad(name, value)
    return value


def _year(name: str, value: str) -> int:
    # isdigit() refuses "NaN", "Infinity", "2024.5", "-1" and "1e3" alike.
    if not value.isascii() or not value.isdigit() or len(value) != 4 or int(value) not in YEARS:
        raise _bad(name, value, [f"{YEARS.start}-{YEARS.stop - 1}"])
    return int(value)


PARSERS: dict[str, Callable[[str, str], object]] = {
    "region": _istat(2),
    "province": _istat(3),
    "theme": _text,
    "cycle": _text,
    "progress_state": _choice(o.code for o in PROGRESS_STATES),
    "effectiveness": _choice(o.code for o in EFFECTIVENESS.options),
    "overall_judgement": _choice(o.code for o in OVERALL_JUDGEMENT.options),
    "results_judgement": _choice(o.code for o in RESULTS_JUDGEMENT.options),
    "year": _year,
    "author_category": _choice(AuthorCategory.values),
    "questionnaire": _choice(QUESTIONNAIRES),
    "project_code": _text,
}
FILTER_NAMES: tuple[str, ...] = ("q", *PARSERS)


def _values(data: Mapping, key: str) -> list[str]:
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data[key]
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _parse_q(name: str, values: list[str]) -> str:
    if len(values) > 1:
        raise FilterError(_("Il parametro «%(name)s» compare più di una volta.") % {"name": name})
    raw = values[0] if values else ""
    try:
        parse_query(raw)
    except SearchInputError as error:
        raise FilterError(f"{name}: {error}") from error
    return raw.strip()


def parse_report_filters(
    data: Mapping, *, aliases: Mapping[str, str] | None = None, ignore: Iterable[str] = ()
) -> ReportFilters:
    """The filters of a query string (QueryDict or dict); `ignore` names non-filter keys (paging).

    Unknown names and bad values raise FilterError naming the parameter. Empty values are
    dropped and repeated values kept once, so a half-filled form is not an error.
    """
    aliases = aliases or {}
    ignored = set(ignore)
    parsed: dict[str, list] = {}
    for key in data:
        if key in ignored:
            continue
        name = aliases.get(key, key)
        if name not in FILTER_NAMES:
            allowed = ", ".join(["q", *aliases] if aliases else FILTER_NAMES)
            raise FilterError(
                _("Parametro sconosciuto «%(name)s». Filtri ammessi: %(allowed)s.")
                % {"name": _short(key), "allowed": allowed}
            )
        values = _values(data, key)
        if name == "q":
            parsed["q"] = [_parse_q(key, values)]
            continue
        kept = parsed.setdefault(name, [])
        for value in (v.strip() for v in values):
            if value:
                clean = PARSERS[name](key, value)
                if clean not in kept:
                    kept.append(clean)
        if len(kept) > MAX_VALUES_PER_FILTER:
            raise FilterError(
                _("Troppi valori per il filtro «%(key)s»: al massimo %(max)d.")
                % {"key": key, "max": MAX_VALUES_PER_FILTER}
            )
    q = parsed.pop("q", [""])[0]
    return ReportFilters(q=q, **{name: tuple(values) for name, values in parsed.items()})


def html_filters(data: Mapping, *, ignore: Iterable[str] = ()) -> ReportFilters:
    """The HTML pages' parser: Italian aliases and canonical names both accepted."""
    return parse_report_filters(data, aliases=HTML_ALIASES, ignore=ignore)
