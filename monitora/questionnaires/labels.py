"""What a person reads instead of a question's key: its label and its section's title.

One place for every screen and e-mail (the guided form, the editors' pages, the audit log), so an
internal key such as `risultato_progetto` never reaches a reader.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .definitions import get_spec
from .spec import QuestionSpec

# Headings of the questionnaire's sections (the questions' `section` keys).
SECTION_TITLES = {
    "scoperto": _("Cosa dice il progetto"),
    "genere": _("Parità di genere"),
    "avanzamento": _("Stato di avanzamento"),
    "risultati": _("Giudizio e risultati"),
    "problemi": _("Problemi riscontrati"),
    "punti_di_forza": _("Punti di forza"),
    "punti_deboli": _("Punti di debolezza"),
    "rischi": _("Rischi"),
    "soluzioni": _("Soluzioni e idee"),
    "metodo": _("Metodo di indagine"),
    "intervistati": _("Interviste: chi"),
    "domande": _("Interviste: domande"),
    "risposte": _("Interviste: risposte"),
    "diffusione": _("Diffusione del monitoraggio"),
    "media": _("Media"),
    "amministrazioni": _("Risposte delle amministrazioni"),
    "impatto": _("Impatto"),
}


def section_title(section: str) -> str:
    return str(SECTION_TITLES.get(section, section.replace("_", " ").capitalize()))


def question_label(question: QuestionSpec) -> str:
    """The question as the form words it, in the active language, without a trailing colon."""
    label = question.label_en if get_language() == "en" and question.label_en else question.label_it
    return label.strip().rstrip(":").strip()


def key_label(questionnaire_code: str, key: str) -> str:
    """A question key's label in a version; short labels ("Altro") get their section's title.

    An unknown key is returned as it is: better a raw key than a silent blank.
    """
    question = get_spec(questionnaire_code).question(key)
    if question is None:
        return key
    label = question_label(question)
    if len(label) < 25 and question.section:
        return f"{section_title(question.section)}: {label}"
    return label
