"""The allow-listed facets: URL key, index column, heading, value format and value labels.

Search, map and statistics all read this table, so a new facet is one entry here plus a column.
"""

import re
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from monitora.questionnaires.definitions import EFFECTIVENESS, OVERALL_JUDGEMENT, PROGRESS_STATES
from monitora.questionnaires.spec import OptionSpec
from monitora.teams.models import AuthorCategory

CODE = re.compile(r"^[0-9]{1,3}$")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
YEAR = re.compile(r"^(19|20)[0-9]{2}$")
CATEGORY = re.compile(r"^[a-z_]{1,30}$")

# v2019 and legacy questions mapped onto the v2022 codes (docs/search-and-statistics.md explains why).
# giudizio_sintetico: 1 Appena iniziato, 2 In corso e procede bene, 3 Procede con difficoltà,
# 4 Bloccato, 5 Concluso e utile, 6 Concluso e inefficace -> stato_di_avanzamento.
PROGRESS_FROM_OVERALL = {"1": "1", "2": "3", "3": "4", "4": "5", "5": "6", "6": "6"}
# valutazione_risultati: 1 dannoso, 2 inutile, 3 utile con problemi, 4 molto utile, 5 non valutabile -> gs.
EFFECTIVENESS_FROM_RESULTS = {"1": "3", "2": "3", "3": "2", "4": "1", "5": "4"}


@dataclass(frozen=True)
class Facet:
    key: str
    column: str
    heading: str
    pattern: re.Pattern
    # Column holding the display name; without it labels come from `option_labels`.
    name_column: str = ""
    options: tuple[OptionSpec, ...] = ()


def _option_label(option: OptionSpec) -> str:
    if (get_language() or "it").startswith("en") and option.label_en:
        return option.label_en
    return option.short_label_it or option.label_it


FACETS: tuple[Facet, ...] = (
    Facet("regione", "region", _("Regione"), CODE, name_column="region_name"),
    Facet("provincia", "province", _("Provincia"), CODE, name_column="province_name"),
    Facet("tema", "theme", _("Tema"), SLUG, name_column="theme_name"),
    Facet("avanzamento", "progress", _("Stato di avanzamento"), CODE, options=PROGRESS_STATES),
    Facet("efficacia", "effectiveness", _("Giudizio di efficacia"), CODE, options=EFFECTIVENESS.options),
    Facet("giudizio", "overall", _("Giudizio sintetico"), CODE, options=OVERALL_JUDGEMENT.options),
    Facet("anno", "year", _("Anno"), YEAR),
    Facet("autore", "author_category", _("Categoria di autore"), CATEGORY),
    Facet("ciclo", "cycle", _("Ciclo di programmazione"), SLUG, name_column="cycle_name"),
)
FACETS_BY_KEY = {f.key: f for f in FACETS}


def value_label(facet: Facet, value: object, name: str = "") -> str:
    """The label shown for a facet value (names stored at index time win)."""
    if name:
        return name
    if facet.options:
        option = next((o for o in facet.options if o.code == str(value)), None)
        if option:
            return _option_label(option)
    if facet.column == "author_category":
        try:
            return str(AuthorCategory(value).label)
        except ValueError:
            return str(value)
    return str(value)


def option_label(facet_key: str, code: str) -> str:
    return value_label(FACETS_BY_KEY[facet_key], code) if code else ""
