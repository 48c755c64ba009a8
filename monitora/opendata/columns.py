"""The documented columns of the open data exports.

One list drives the CSV header, the JSON keys, the GeoJSON properties, the Frictionless schema in
`datapackage.json` and the data dictionary page, so the four can never disagree. Answer columns are
generated from the questionnaire definitions (questions are data): every question of every version
gets a column named by its key; closed questions get a `<key>` code column and a `<key>_label` column.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from monitora.questionnaires.definitions import QUESTIONNAIRES
from monitora.questionnaires.spec import Kind, QuestionSpec

# Separator for cells holding several values (programmes, territories, links).
MULTI_SEPARATOR = " | "


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless field type: string, integer, number, boolean, datetime, date
    description: str
    group: str = "report"
    # Closed answers: {code: label} per questionnaire version, for the dictionary and the schema.
    options: dict[str, dict[str, str]] = field(default_factory=dict)
    versions: tuple[str, ...] = ()
    question_label: str = ""
    required: bool = False

    def frictionless(self) -> dict:
        out = {"name": self.name, "type": self.type, "description": str(self.description)}
        if self.type == "datetime":
            out["format"] = "any"
        if self.required:
            out["constraints"] = {"required": True}
        if self.options and not self.name.endswith("_label"):
            codes = sorted({code for version in self.options.values() for code in version})
            out["constraints"] = {**out.get("constraints", {}), "enum": codes}
        return out


REPORT_COLUMNS: tuple[Column, ...] = (
    Column("report_id", "integer", _("Identificativo del report su Monitora"), required=True),
    Column("report_url", "string", _("Indirizzo della pagina pubblica del report"), required=True),
    Column("title", "string", _("Titolo del report")),
    Column("questionnaire", "string", _("Versione del questionario: legacy, v2019, v2022")),
    Column("questionnaire_name", "string", _("Nome della versione del questionario")),
    Column("language", "string", _("Lingua del report (it, en)")),
    Column("submitted_at", "datetime", _("Data e ora di invio alla redazione (ISO 8601)")),
    Column("published_at", "datetime", _("Data e ora di pubblicazione (ISO 8601)")),
    Column("year", "integer", _("Anno del report (invio, o pubblicazione se manca l'invio)")),
    Column("author_name", "string", _("Autore come indicato nel report pubblicato")),
    Column("handle", "string", _("Handle pubblico degli autori")),
    Column("team_name", "string", _("Nome del team")),
    Column("team_category", "string", _("Categoria degli autori (codice)")),
    Column("team_category_label", "string", _("Categoria degli autori (etichetta)")),
    Column(
        "project_code",
        "string",
        _("Codice locale del progetto OpenCoesione (COD_LOCALE_PROGETTO)"),
        "project",
    ),
    Column("project_cup", "string", _("Codice Unico di Progetto (CUP)"), "project"),
    Column("project_title", "string", _("Titolo del progetto (OpenCoesione)"), "project"),
    Column("opencoesione_url", "string", _("Pagina del progetto sul portale OpenCoesione"), "project"),
    Column("project_theme_code", "string", _("Codice del tema sintetico OpenCoesione"), "project"),
    Column(
        "project_theme", "string", _("Tema sintetico OpenCoesione al momento del monitoraggio"), "project"
    ),
    Column("project_cycle", "string", _("Ciclo di programmazione"), "project"),
    Column(
        "project_programmes",
        "string",
        _("Programmi che finanziano il progetto (separati da ' | ')"),
        "project",
    ),
    Column(
        "project_net_public_funding",
        "number",
        _("Finanziamento pubblico netto in euro al momento del monitoraggio"),
        "project",
    ),
    Column(
        "project_state_at_monitoring", "string", _("Stato ufficiale del progetto al monitoraggio"), "project"
    ),
    Column("project_state", "string", _("Stato ufficiale del progetto nell'ultimo aggiornamento"), "project"),
    Column(
        "region_codes", "string", _("Codici ISTAT delle regioni del progetto (separati da ' | ')"), "place"
    ),
    Column("regions", "string", _("Regioni del progetto (separate da ' | ')"), "place"),
    Column("provinces", "string", _("Province del progetto (separate da ' | ')"), "place"),
    Column("municipalities", "string", _("Comuni del progetto (separati da ' | ')"), "place"),
    Column(
        "region_code",
        "string",
        _(
            "Codice ISTAT della regione del report: quella del punto indicato dagli autori, altrimenti "
            "del progetto (la regione di filtri, mappa e statistiche)"
        ),
        "place",
    ),
    Column("region", "string", _("Regione del report (vedi region_code)"), "place"),
    Column("address", "string", _("Luogo di riferimento indicato dagli autori"), "place"),
    Column("latitude", "number", _("Latitudine WGS84 del luogo di riferimento"), "place"),
    Column("longitude", "number", _("Longitudine WGS84 del luogo di riferimento"), "place"),
    Column(
        "progress_state",
        "string",
        _("Stato di avanzamento armonizzato tra le versioni del questionario (codici della v2022)"),
        "report",
    ),
    Column("progress_state_label", "string", _("Stato di avanzamento armonizzato (etichetta)"), "report"),
    Column(
        "effectiveness",
        "string",
        _("Giudizio di efficacia armonizzato tra le versioni del questionario (codici di gs, v2022)"),
        "report",
    ),
    Column("effectiveness_label", "string", _("Giudizio di efficacia armonizzato (etichetta)"), "report"),
    Column(
        "impact_published",
        "boolean",
        _("Vero se lo Step 3 (risultati e impatto) è pubblicato; altrimenti le sue colonne sono vuote"),
    ),
    Column("source_links", "string", _("Link a fonti e documenti (separati da ' | ')"), "materials"),
    Column("video_links", "string", _("Link a video (separati da ' | ')"), "materials"),
    Column("attachment_urls", "string", _("Foto e documenti allegati (separati da ' | ')"), "materials"),
)


def _versions_by_key() -> dict[str, list[tuple[str, QuestionSpec]]]:
    """Every question key across versions, newest version first, with the versions that ask it."""
    seen: dict[str, list[tuple[str, QuestionSpec]]] = {}
    for code, spec in reversed(QUESTIONNAIRES.items()):
        for question in spec.questions:
            seen.setdefault(question.key, []).append((code, question))
    return seen


def _answer_columns() -> tuple[Column, ...]:
    columns: list[Column] = []
    for key, asked in _versions_by_key().items():
        versions = tuple(code for code, _q in asked)
        first = asked[0][1]  # the newest wording
        group = f"step{first.step}"
        if first.kind == Kind.CHOICE:
            options = {code: {o.code: o.label_it for o in q.options} for code, q in asked}
            columns.append(
                Column(
                    key,
                    "string",
                    _("Codice della risposta chiusa (vedi le opzioni)"),
                    group,
                    options=options,
                    versions=versions,
                    question_label=first.label_it,
                )
            )
            columns.append(
                Column(
                    f"{key}_label",
                    "string",
                    _("Etichetta della risposta, nella versione del questionario del report"),
                    group,
                    options=options,
                    versions=versions,
                    question_label=first.label_it,
                )
            )
        elif first.kind == Kind.BOOLEAN:
            columns.append(
                Column(
                    key,
                    "boolean",
                    _("Sì (true) / No (false); vuoto se non risposto"),
                    group,
                    versions=versions,
                    question_label=first.label_it,
                )
            )
        else:
            columns.append(
                Column(
                    key,
                    "string",
                    _("Risposta aperta"),
                    group,
                    versions=versions,
                    question_label=first.label_it,
                )
            )
    return tuple(columns)


ANSWER_COLUMNS: tuple[Column, ...] = _answer_columns()
ALL_REPORT_COLUMNS: tuple[Column, ...] = REPORT_COLUMNS + ANSWER_COLUMNS
IMPACT_KEYS: frozenset[str] = frozenset(
    q.key for spec in QUESTIONNAIRES.values() for q in spec.questions if q.step == 3
)

# The list OpenCoesione reads to link back to reports; names kept from the Monithon
# `oc_report_list` API so the consumer only changes the URL.
OPENCOESIONE_LINK_COLUMNS: tuple[Column, ...] = (
    Column(
        "codice_locale_progetto",
        "string",
        _("Codice locale del progetto (COD_LOCALE_PROGETTO)"),
        required=True,
    ),
    Column("url_opencoesione", "string", _("Pagina del progetto su OpenCoesione")),
    Column("id_report", "integer", _("Identificativo del report"), required=True),
    Column("url_report", "string", _("Pagina pubblica del report"), required=True),
    Column("data_report", "date", _("Data del report (invio, o pubblicazione)")),
    Column("giudizio_di_efficacia", "string", _("Giudizio di efficacia (etichetta breve)")),
    Column("stato_di_avanzamento_al_monitoraggio", "string", _("Stato di avanzamento rilevato dagli autori")),
)
