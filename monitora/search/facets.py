"""The allow-listed facets: URL key, index column, heading, value format and value labels.

Search, map and statistics all read this table, so a new facet is one entry here plus a column.
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from monitora.questionnaires.definitions import EFFECTIVENESS, OVERALL_JUDGEMENT, PROGRESS_STATES
from monitora.questionnaires.spec import OptionSpec
from monitora.teams.models import AuthorCategory


@dataclass(frozen=True)
class Facet:
    key: str  # the Italian name in the HTML pages' URLs
    param: str  # the canonical filter name (`filters.ReportFilters`)
    column: str
    heading: str
    # Column holding the display name; without it labels come from `option_labels`.
    name_column: str = ""
    options: tuple[OptionSpec, ...] = ()


def _option_label(option: OptionSpec) -> str:
    if (get_language() or "it").startswith("en") and option.label_en:
        return option.label_en
    return option.short_label_it or option.label_it


FACETS: tuple[Facet, ...] = (
    Facet("regione", "region", "region", _("Regione"), name_column="region_name"),
    Facet("provincia", "province", "province", _("Provincia"), name_column="province_name"),
    Facet("tema", "theme", "theme", _("Tema"), name_column="theme_name"),
    Facet("avanzamento", "progress_state", "progress", _("Stato di avanzamento"), options=PROGRESS_STATES),
    Facet(
        "efficacia",
        "effectiveness",
        "effectiveness",
        _("Giudizio di efficacia"),
        options=EFFECTIVENESS.options,
    ),
    Facet(
        "giudizio", "overall_judgement", "overall", _("Giudizio sintetico"), options=OVERALL_JUDGEMENT.options
    ),
    Facet("anno", "year", "year", _("Anno")),
    Facet("autore", "author_category", "author_category", _("Categoria di autore")),
    Facet("ciclo", "cycle", "cycle", _("Ciclo di programmazione"), name_column="cycle_name"),
)
FACETS_BY_KEY = {f.key: f for f in FACETS}
FACETS_BY_PARAM = {f.param: f for f in FACETS}


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


def code_label(facet_key: str, code: str) -> str:
    """The label of a facet's code ("" for no code), e.g. `code_label("efficacia", "1")`."""
    return value_label(FACETS_BY_KEY[facet_key], code) if code else ""


class ClosedAnswerLabels:
    """The labels of a result's three closed answers (`progress`, `effectiveness`, `overall`
    codes), shared by the search document and the plain rows of the results list."""

    progress: str
    effectiveness: str
    overall: str

    @property
    def progress_label(self) -> str:
        return code_label("avanzamento", self.progress)

    @property
    def effectiveness_label(self) -> str:
        return code_label("efficacia", self.effectiveness)

    @property
    def overall_label(self) -> str:
        return code_label("giudizio", self.overall)
