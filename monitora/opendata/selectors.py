"""Reads of published reports for the reuse channels (open data, API, feeds).

Every query here starts from `Report.objects.published()`, the one visibility gate. Filters are an
allow-list: each has a parser that refuses bad values with a message naming the filter.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from monitora.catalogue.models import Project, Territory
from monitora.questionnaires.definitions import QUESTIONNAIRES, get_spec
from monitora.reports.models import Answer, Report
from monitora.teams.models import AuthorCategory

MAX_QUERY_LENGTH = 200


def _choice_codes(key: str) -> list[str]:
    codes: list[str] = []
    for spec in QUESTIONNAIRES.values():
        question = spec.question(key)
        if question:
            codes += [o.code for o in question.options if o.code not in codes]
    return codes


# filter name -> (question key, allowed codes) for closed answers.
ANSWER_FILTERS = {
    "progress_state": "stato_di_avanzamento",
    "effectiveness": "gs",
    "results_judgement": "valutazione_risultati",
    "overall_judgement": "giudizio_sintetico",
}


@dataclass(frozen=True)
class FilterSpec:
    name: str
    description: str
    parse: Callable[[str], object]


def _parse_code(name: str, key: str) -> Callable[[str], str]:
    allowed = _choice_codes(key)

    def parse(value: str) -> str:
        if value not in allowed:
            raise ValidationError(f"{name}: valore {value!r} non ammesso (ammessi: {', '.join(allowed)})")
        return value

    return parse


def _parse_year(value: str) -> int:
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise ValidationError(f"year: {value!r} non è un anno tra 2000 e 2100")
    return int(value)


def _parse_text(name: str, max_length: int = 100) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip()
        if not value:
            raise ValidationError(f"{name}: valore vuoto")
        if len(value) > max_length or "\x00" in value:
            raise ValidationError(
                f"{name}: valore troppo lungo o non valido (massimo {max_length} caratteri)"
            )
        return value

    return parse


def _parse_questionnaire(value: str) -> str:
    if value not in QUESTIONNAIRES:
        raise ValidationError(f"questionnaire: {value!r} sconosciuto (ammessi: {', '.join(QUESTIONNAIRES)})")
    return value


def _parse_category(value: str) -> str:
    if value not in AuthorCategory.values:
        raise ValidationError(
            f"author_category: {value!r} sconosciuta (ammesse: {', '.join(AuthorCategory.values)})"
        )
    return value


REPORT_FILTERS: dict[str, FilterSpec] = {
    f.name: f
    for f in (
        FilterSpec("region", "Codice ISTAT della regione (es. 15 = Campania)", _parse_text("region", 10)),
        FilterSpec("province", "Codice ISTAT della provincia (es. 061)", _parse_text("province", 10)),
        FilterSpec("theme", "Codice o nome del tema sintetico OpenCoesione", _parse_text("theme", 200)),
        FilterSpec("cycle", "Codice o nome del ciclo di programmazione", _parse_text("cycle", 200)),
        *(
            FilterSpec(name, f"Codice della risposta '{key}'", _parse_code(name, key))
            for name, key in ANSWER_FILTERS.items()
        ),
        FilterSpec("year", "Anno del report (invio o pubblicazione)", _parse_year),
        FilterSpec(
            "project_code", "Codice locale del progetto OpenCoesione", _parse_text("project_code", 100)
        ),
        FilterSpec("questionnaire", "Versione del questionario", _parse_questionnaire),
        FilterSpec("author_category", "Categoria degli autori", _parse_category),
        FilterSpec("q", "Testo da cercare nel titolo e nelle risposte", _parse_text("q", MAX_QUERY_LENGTH)),
    )
}


def parse_report_filters(raw: dict[str, str]) -> dict[str, object]:
    """Parse allow-listed filters; unknown names and bad values raise one ValidationError listing all."""
    errors: list[str] = []
    parsed: dict[str, object] = {}
    for name, value in raw.items():
        spec = REPORT_FILTERS.get(name)
        if spec is None:
            errors.append(f"filtro sconosciuto {name!r} (ammessi: {', '.join(REPORT_FILTERS)})")
            continue
        try:
            parsed[name] = spec.parse(value)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return parsed


def in_territory(code: str, kind: str) -> Exists:
    """Reports whose project lies in a territory, at any level below it (region > province > comune)."""
    link = Project.territories.through
    where = (
        Q(territory__code=code, territory__kind=kind)
        | Q(territory__parent__code=code, territory__parent__kind=kind)
        | Q(territory__parent__parent__code=code, territory__parent__parent__kind=kind)
    )
    return Exists(link.objects.filter(where, project_id=OuterRef("project_id")))


def has_answer(key: str, code: str) -> Exists:
    return Exists(Answer.objects.filter(report_id=OuterRef("pk"), question__key=key, option__code=code))


def published_reports() -> QuerySet[Report]:
    """The gate: every reuse channel starts here."""
    return Report.objects.published().annotate(
        report_year=ExtractYear(Coalesce("submitted_at", "published_at"))
    )


def report_filter(queryset: QuerySet[Report], *, filters: dict[str, object]) -> QuerySet[Report]:
    for name, value in filters.items():
        if name == "region":
            queryset = queryset.filter(in_territory(str(value), Territory.Kind.REGION))
        elif name == "province":
            queryset = queryset.filter(in_territory(str(value), Territory.Kind.PROVINCE))
        elif name == "theme":
            queryset = queryset.filter(Q(project__theme_code=value) | Q(project__theme__iexact=value))
        elif name == "cycle":
            queryset = queryset.filter(Q(project__cycle_code=value) | Q(project__cycle__iexact=value))
        elif name in ANSWER_FILTERS:
            queryset = queryset.filter(has_answer(ANSWER_FILTERS[name], str(value)))
        elif name == "year":
            queryset = queryset.filter(report_year=value)
        elif name == "project_code":
            queryset = queryset.filter(Q(project_code=value) | Q(project__code=value))
        elif name == "questionnaire":
            queryset = queryset.filter(questionnaire__code=value)
        elif name == "author_category":
            queryset = queryset.filter(team__category=value)
        elif name == "q":
            # Step 3 answers are searchable only once Step 3 is published (no side channel).
            text = Exists(Answer.objects.public().filter(report_id=OuterRef("pk"), text__icontains=value))
            queryset = queryset.filter(Q(title__icontains=value) | Q(project__title__icontains=value) | text)
    return queryset


def published_report_list(*, filters: dict[str, object] | None = None) -> QuerySet[Report]:
    return report_filter(published_reports(), filters=filters or {}).select_related(
        "project", "team", "questionnaire"
    )


@lru_cache(maxsize=4096)
def option_label(questionnaire_code: str, key: str, code: str, *, variant: str = "") -> str:
    """The label of a closed answer in the report's questionnaire version, variants resolved."""
    question = get_spec(questionnaire_code).question(key)
    option = question.option(code) if question else None
    if option is None:
        return ""
    if variant and option.variants:
        return option.variants.get(variant, option.label_it)
    return option.label_it
