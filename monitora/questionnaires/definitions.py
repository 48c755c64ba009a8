"""The questionnaire versions of civic monitoring, with verbatim Italian labels.

Source: Monithon platform (`level73/Monithon`), forms of 2019 and 2022, and the legacy data set
(2013-2019). Typos of the source labels are kept (*sic*) so published reports read as written.
"""

from .spec import Kind, OptionSpec, QuestionnaireSpec, QuestionSpec

O = OptionSpec  # noqa: E741 - short aliases keep the long label tables readable
Q = QuestionSpec

# --- Blocks shared by several versions -----------------------------------------------------------

DESCRIPTION = Q("descrizione", Kind.LONGTEXT, "Descrizione:", "Description", step=1, section="descrizione")

RESULTS_TEXT = Q(
    "risultato_progetto",
    Kind.LONGTEXT,
    "Risultato del progetto monitorato (se il progetto è concluso, quali risultati ha avuto?):",
    "Results of the monitored project",
    section="risultati",
)

OVERALL_JUDGEMENT = Q(
    "giudizio_sintetico",
    Kind.CHOICE,
    "Giudizio Sintetico sul Progetto monitorato:",
    "Overall judgement",
    section="giudizio",
    options=(
        O(
            "1",
            "Appena iniziato",
            "Just started",
            help_it=(
                "Il progetto monitorato è iniziato da troppo poco tempo per poter esprimere un "
                "giudizio. Si sa che è stato avviato, anche se i risultati non sono ancora visibili "
                "e monitorabili."
            ),
        ),
        O("2", "In corso e procede bene", "Ongoing and going well"),
        O("3", "Procede con difficoltà", "Proceeding with difficulty"),
        O("4", "Bloccato", "Blocked"),
        O("5", "Concluso e utile", "Completed and useful"),
        O("6", "Concluso e inefficace", "Completed and ineffective"),
    ),
)

RESULTS_JUDGEMENT_2019 = Q(
    "valutazione_risultati",
    Kind.CHOICE,
    "Se il progetto è concluso o sei stato comunque in grado di valutare alcuni dei suoi risultati "
    "qual è il tuo giudizio sull’efficacia del progetto che hai monitorato?",
    "Judgement of the project's effectiveness",
    section="risultati",
    options=(
        O(
            "1",
            "Intervento dannoso - Era meglio non farlo perché ha provocato conseguenze negative",
            "Harmful",
            short_label_it="Intervento dannoso",
        ),
        O(
            "2",
            "Intervento inutile - Non ha cambiato la situazione, soldi sprecati",
            "Useless",
            short_label_it="Intervento inutile",
        ),
        O(
            "3",
            "Intervento utile ma presenta problemi - Ha avuto alcuni risultati positivi ed è "
            "tutto sommato utile, anche se presenta anche aspetti negativi",
            "Useful but with problems",
            short_label_it="Intervento utile ma presenta problemi",
        ),
        O(
            "4",
            "Intervento molto utile ed efficace - Gli aspetti positivi prevalgono ed è "
            "giudicato complessivamente efficace dal punto di vista dell'utente finale",
            "Very useful and effective",
            short_label_it="Intervento molto utile ed efficace",
        ),
        O(
            "5",
            "Non è stato possibile valutare l’efficacia dell’intervento - Es. il progetto non "
            "ha ancora prodotto risultati valutabili",
            "Effectiveness could not be assessed",
            short_label_it="Non è stato possibile valutare l’efficacia dell’intervento",
        ),
    ),
)

PROBLEMS_LABEL = "Quali sono i problemi che hai rilevato?"


def _problems(condition: dict[str, list[str]] | None = None) -> tuple[QuestionSpec, ...]:
    rows = [
        (
            "problemi_amministrativi",
            "Realizzazione ha mostrato problemi di natura amministrativa",
            "Administrative problems",
        ),
        ("problemi_tecnici", "Realizzazione ha mostrato problemi di natura tecnica", "Technical problems"),
        (
            "risultato_insoddisfacente",
            "Il risultato del progetto non è soddisfacente",
            "Unsatisfactory result",
        ),
        (
            "non_efficace",
            "Intervento complessivamente ben realizzato ma non rispondente ai bisogni "
            "degli utenti finali (non efficace)",
            "Not meeting the users' needs",
        ),
        (
            "non_sufficiente",
            "Intervento utile ma non sufficiente per rispondere al fabbisogno (“ne "
            "serve di più”, es. più investimenti nello stesso progetto o in progetti simili)",
            "Useful but not sufficient",
        ),
        (
            "necessita_interventi_extra",
            "Intervento di per sè utile ma sono necessari altri interventi complementari",
            "Needs complementary works",
        ),
    ]
    return tuple(
        Q(key, Kind.BOOLEAN, label, en, section="problemi", condition=condition or {})
        for key, label, en in rows
    )


STRENGTHS = Q(
    "punti_di_forza",
    Kind.LONGTEXT,
    "Punti di forza del progetto monitorato:",
    "Strengths",
    section="punti_di_forza",
)
WEAKNESSES = Q(
    "punti_deboli",
    Kind.LONGTEXT,
    "Punti di debolezza del progetto monitorato:",
    "Weaknesses",
    section="punti_deboli",
)
RISKS = Q(
    "rischi", Kind.LONGTEXT, "Rischi futuri per il progetto monitorato:", "Future risks", section="rischi"
)
SOLUTIONS = Q(
    "soluzioni_progetto",
    Kind.LONGTEXT,
    "Soluzioni ed idee da proporre per il progetto monitorato:",
    "Solutions and ideas",
    section="soluzioni",
)

METHODS = (
    ("raccolta_info_web", "Raccolta di informazioni via web", "Web research"),
    (
        "visita_diretta",
        "Visita diretta documentata da foto e video",
        "Site visit documented with photos and video",
    ),
    (
        "intervista_autorita_gestione",
        "Intervista con l'Autorità di Gestione del Programma",
        "Interview with the programme's managing authority",
    ),
    (
        "intervista_soggetto_programmatore",
        "Intervista con i soggetti che hanno programmato l'intervento (soggetto programmatore)",
        "Interview with the programming body",
    ),
    (
        "intervista_utenti_beneficiari",
        "Intervista con gli utenti/beneficiari finali dell'intervento",
        "Interview with final users/beneficiaries",
    ),
    ("intervista_altri_utenti", "Intervista con altre tipologie di persone", "Interview with other people"),
    (
        "raccolta_info_attuatore",
        "Intervista con i soggetti che hanno o stanno attuando l'intervento (attuatore o realizzatore)",
        "Interview with the implementing body",
    ),
    ("referenti_politici", "Intervista con i referenti politici", "Interview with politicians"),
    (
        "questionario_utenti",
        "Questionario inviato a utenti/beneficiari finali dell'intervento",
        "Questionnaire sent to final users/beneficiaries",
    ),
    (
        "questionario_altri",
        "Questionario inviato a altre tipologie di persone",
        "Questionnaire sent to other people",
    ),
)
LEGACY_METHODS = (
    ("raccolta_informazioni", "Raccolta di informazioni", "Information gathering"),
    (
        "intervista_responsabili_progetto",
        "Intervista con i responsabili del progetto",
        "Interview with the project managers",
    ),
)


def _methods(rows) -> tuple[QuestionSpec, ...]:
    return tuple(Q(key, Kind.BOOLEAN, label, en, section="metodo") for key, label, en in rows)


INTERVIEWS = (
    Q(
        "intervista_intervistati",
        Kind.LONGTEXT,
        "Chi sono e che ruolo hanno nel progetto le persone che hai contattato e/o intervistato? A "
        "quale organizzazione appartengono?",
        "Who was interviewed",
        section="intervistati",
    ),
    Q(
        "intervista_domande",
        Kind.LONGTEXT,
        "Principali due domande poste agli intervistati:",
        "Main questions",
        section="domande",
    ),
    Q(
        "intervista_risposte",
        Kind.LONGTEXT,
        "Principali due risposte degli intervistati:",
        "Main answers",
        section="risposte",
    ),
)

IMPACT = (
    *(
        Q(key, Kind.BOOLEAN, label, en, step=3, section="diffusione")
        for key, label, en in (
            ("diffusione_twitter", "Twitter", "Twitter"),
            ("diffusione_facebook", "Facebook", "Facebook"),
            ("diffusione_instagram", "Instagram", "Instagram"),
            (
                "diffusione_eventi",
                "Eventi territoriali organizzati dai team",
                "Local events organised by the team",
            ),
            ("diffusione_open_admin", "Settimana dell'Amministrazione Aperta", "Open Admin Week"),
            ("diffusione_blog", "Blog/Sito web del Team", "Team blog or website"),
            (
                "diffusione_offline",
                "Volantinaggio o altri metodi off-line (non via Internet)",
                "Leaflets or other offline means",
            ),
            (
                "diffusione_incontri",
                "Richiesta di audizioni o incontri a porte chiuse",
                "Hearings or closed meetings",
            ),
            ("diffusione_interviste", "Interviste ai media", "Media interviews"),
        )
    ),
    Q("diffusione_altro", Kind.TEXT, "Altro", "Other", step=3, section="diffusione"),
    Q(
        "media_connection",
        Kind.BOOLEAN,
        "I media hanno parlato del vostro monitoraggio?",
        "Did the media cover your monitoring?",
        step=3,
        section="media",
    ),
    *(
        Q(key, Kind.BOOLEAN, label, en, step=3, section="media")
        for key, label, en in (
            ("tv_locali", "TV Locali", "Local TV"),
            ("tv_nazionali", "TV Nazionali", "National TV"),
            ("giornali_locali", "Giornali Locali", "Local newspapers"),
            ("giornali_nazionali", "Giornali Nazionali", "National newspapers"),
            ("blog_online", "Blog o altre news outlet online", "Blogs or other online outlets"),
        )
    ),
    Q("media_other", Kind.TEXT, "Altro", "Other media", step=3, section="media"),
    Q(
        "admin_connection",
        Kind.BOOLEAN,
        "Avete avuto contatti con le Amministrazioni (es. il sindaco o dirigenti regionali) per "
        "presentare o discutere con loro i risultati del vostro monitoraggio?",
        "Did you contact the administrations?",
        step=3,
        section="amministrazioni",
    ),
    *(
        Q(key, Kind.BOOLEAN, label, en, step=3, section="amministrazioni", help_it=short)
        for key, label, short, en in (
            ("admin_response_no", "Non ci hanno risposto", "Nessuna risposta", "No answer"),
            (
                "admin_response_some",
                "Alcune ci hanno risposto, altre no",
                "Risposta parziale",
                "Partial answer",
            ),
            (
                "admin_response_formal",
                "Ci hanno dato risposte formali o generiche",
                "Risposte generiche",
                "Formal or generic answers",
            ),
            (
                "admin_response_promises",
                "Almeno una tra quelle contattate ci ha fatto promesse concrete",
                "Promesse concrete",
                "Concrete promises",
            ),
            (
                "admin_response_unlocked",
                'Hanno messo in pratica i nostri suggerimenti e il progetto ora è "sbloccato" o più efficace',
                "Progetto più efficace",
                "Project unblocked or more effective",
            ),
            (
                "admin_response_flagged",
                "Avevamo segnalato un problema che ora è stato risolto",
                "Problema risolto",
                "Flagged problem solved",
            ),
        )
    ),
    Q("admin_altro", Kind.TEXT, "Altro", "Other response", step=3, section="amministrazioni"),
    Q(
        "impact_description",
        Kind.LONGTEXT,
        "Descriveteci il vostro caso. Quali fatti o episodi concreti vi portano a pensare che il "
        "vostro monitoraggio civico abbia avuto (o non abbia avuto) impatto tra i soggetti che "
        "gestiscono o attuano i progetto che avete monitorato?",
        "Impact description",
        step=3,
        section="impatto",
    ),
)

# Step 2 as the legacy and 2019 forms asked it: free-text progress, 5-option results judgement and
# the 6-value overall judgement.
ASSESSMENT_2019 = (
    Q(
        "avanzamento",
        Kind.LONGTEXT,
        "Stato di avanzamento del progetto monitorato sulla base delle informazioni raccolte:",
        "Progress",
        section="avanzamento",
    ),
    RESULTS_TEXT,
    RESULTS_JUDGEMENT_2019,
    STRENGTHS,
    WEAKNESSES,
    *_problems(),
    RISKS,
    SOLUTIONS,
    OVERALL_JUDGEMENT,
)

# --- Legacy (2013-2019) ---------------------------------------------------------------------------

LEGACY = QuestionnaireSpec(
    code="legacy",
    name="Monithon legacy (2013-2019)",
    valid_from="2013-01-01",
    valid_to="2019-06-30",
    questions=(
        DESCRIPTION,
        Q(
            "parte_di_piano",
            Kind.LONGTEXT,
            "Il progetto fa parte di un piano di interventi più ampio? Se sì, qual è l’obiettivo "
            "complessivo di questo piano?",
            "Part of a wider plan?",
            step=1,
            section="descrizione",
        ),
        *ASSESSMENT_2019,
        *_methods(LEGACY_METHODS[:1] + METHODS[:8] + LEGACY_METHODS[1:]),
        *INTERVIEWS,
        *IMPACT,
    ),
)

# --- 2019-2022 form (the example report's) ----------------------------------------------------------

V2019 = QuestionnaireSpec(
    code="v2019",
    name="Questionario 2019-2022",
    valid_from="2019-06-01",
    valid_to="2022-10-31",
    questions=(
        DESCRIPTION,
        *ASSESSMENT_2019,
        *_methods(METHODS[:8]),
        *INTERVIEWS,
        *IMPACT,
    ),
)

# --- Current form (since October 2022) -------------------------------------------------------------

PROGRESS_STATES = (
    O(
        "1",
        "Appena avviato",
        "Just started",
        help_it=(
            "Il progetto è stato appena selezionato o è nelle fasi preliminari di realizzazione (es. "
            "progettazione preliminare)"
        ),
    ),
    O(
        "2",
        "Mai partito",
        "Never started",
        help_it=(
            "Il progetto è stato selezionato da almeno un anno ma non è mai stato avviato e risulta "
            "quindi bloccato all’avvio"
        ),
    ),
    O(
        "3",
        "In corso senza particolari intoppi",
        "Ongoing without major hitches",
        help_it=(
            "Il progetto è in corso di realizzazione (es. il cantiere è aperto) e segue le tappe "
            "prefissate; i ritardi sono limitati"
        ),
    ),
    O(
        "4",
        "In corso con problemi di realizzazione",
        "Ongoing with problems",
        short_label_it="In corso con problemi",
        help_it=(
            "Il progetto è in corso di realizzazione ma presenta problemi sostanziali "
            "(amministrativi, tecnici, etc.) oppure ritardi significativi"
        ),
    ),
    O(
        "5",
        "Bloccato",
        "Blocked",
        help_it="Il progetto è fermo da almeno un anno per problemi in fase di realizzazione",
    ),
    O("6", "Concluso", "Completed", help_it="Tutte le attività sono state completate"),
    O(
        "7",
        "Non è stato possibile verificare l’avanzamento",
        "Progress could not be verified",
        short_label_it="Impossibile verificare",
        help_it="Le informazioni disponibili non sono sufficienti",
    ),
)


def _gs_variants(early: str, ongoing: str, done: str) -> dict[str, str]:
    """Effectiveness labels keyed by progress state: 1-2 early, 3-5 ongoing, 6-7 done."""
    return {"1": early, "2": early, "3": ongoing, "4": ongoing, "5": ongoing, "6": done, "7": done}


EFFECTIVENESS = Q(
    "gs",
    Kind.CHOICE,
    "Giudizio di efficacia (anche potenziale) sul progetto monitorato:",
    "Effectiveness judgement",
    section="risultati",
    variant_of="stato_di_avanzamento",
    options=(
        O(
            "1",
            "Efficace",
            "Effective",
            variants=_gs_variants(
                "Potenzialmente efficace - Il progetto sembra utile e complessivamente ben progettato, "
                "anche se potenziali rischi possono essere individuati",
                "Potenzialmente efficace - Il progetto sembra utile e il suo sviluppo incoraggiante, "
                "anche se potenziali rischi possono essere individuati",
                "Intervento efficace - Gli aspetti positivi prevalgono ed è giudicato "
                "complessivamente efficace dal punto di vista dell'utente finale",
            ),
        ),
        O(
            "2",
            "Efficace ma con problemi",
            "Effective but with problems",
            variants=_gs_variants(
                "Potenzialmente efficace ma con rischi sostanziali - Il progetto sembra utile, anche "
                "se ci sono debolezze o rischi importanti che ne possono pregiudicare l’efficacia",
                "Potenzialmente efficace ma con problemi - Il progetto sembra complessivamente utile "
                "ma ci sono debolezze o rischi importanti che ne possono pregiudicare l’efficacia, non "
                "legati a ritardi o problemi realizzativi",
                "Intervento utile ma presenta problemi - Ha avuto alcuni risultati positivi ed è "
                "tutto sommato utile, anche se presenta aspetti negativi significativi",
            ),
        ),
        O(
            "3",
            "Inefficace",
            "Ineffective",
            variants=_gs_variants(
                "Inutile o dannoso - Non andava finanziato: non serve o può avere conseguenze "
                "negative, oppure la progettazione è largamente insufficiente per raggiungere gli "
                "obiettivi",
                "Intervento inutile o dannoso - Non andava finanziato: non serve o può avere "
                "conseguenze negative, oppure la realizzazione presenta problemi che rendono "
                "impossibile raggiungere gli obiettivi",
                "Intervento inefficace o dannoso - Era meglio non finanziarlo perché non ha provocato "
                "alcun effetto o ha provocato effetti negativi",
            ),
        ),
        O(
            "4",
            "Efficacia non valutabile",
            "Effectiveness not assessable",
            variants=_gs_variants(
                "Efficacia non valutabile - È ancora troppo presto per valutare l'efficacia; Le "
                "informazioni disponibili non sono sufficienti; i soggetti coinvolti non ci hanno "
                "risposto",
                "Efficacia non valutabile - È ancora troppo presto per valutare l'efficacia; Le "
                "informazioni disponibili non sono sufficienti; i soggetti coinvolti non ci hanno "
                "risposto",
                "Efficacia non valutabile - Es. il progetto non ha ancora prodotto risultati valutabili",
            ),
        ),
    ),
)

YES_NO_DONTKNOW = (O("1", "Si", "Yes"), O("2", "No", "No"), O("3", "Non saprei", "Don't know"))
PUBLIC_WORKS = "REALIZZAZIONE DI LAVORI PUBBLICI (OPERE ED IMPIANTISTICA)"

V2022 = QuestionnaireSpec(
    code="v2022",
    name="Questionario 2022",
    valid_from="2022-10-01",
    valid_to="",
    questions=(
        Q(
            "obiettivi",
            Kind.LONGTEXT,
            "Obiettivi del progetto monitorato:",
            "Objectives",
            step=1,
            section="scoperto",
            required=True,
        ),
        Q(
            "attivita",
            Kind.LONGTEXT,
            "Attività previste dal progetto monitorato :",
            "Planned activities",
            step=1,
            section="scoperto",
        ),
        Q("origine", Kind.LONGTEXT, "Origine del progetto monitorato:", "Origin", step=1, section="scoperto"),
        Q(
            "soggetti_beneficiari",
            Kind.LONGTEXT,
            "Beneficiari finali del progetto monitorato:",
            "Final beneficiaries",
            step=1,
            section="scoperto",
        ),
        Q(
            "contesto",
            Kind.LONGTEXT,
            "Il contesto in cui opera il progetto monitorato:",
            "Context",
            step=1,
            section="scoperto",
        ),
        Q(
            "is_gender_topic",
            Kind.CHOICE,
            "Nel progetto si parla di parità di genere?",
            "Does the project deal with gender equality?",
            step=1,
            section="genere",
            options=(O("1", "SI", "Yes"), O("0", "NO", "No")),
        ),
        Q(
            "gender_objectives",
            Kind.CHOICE,
            "Nel progetto è coinvolta direttamente o indirettamente la parità di genere?",
            "Is gender equality involved directly or indirectly?",
            step=1,
            section="genere",
            options=(
                O(
                    "1",
                    "Si, impatto di genere diretto (ad es. progetti che hanno le donne "
                    "esplicitamente come destinatarie)",
                    "Yes, direct gender impact",
                ),
                O(
                    "2",
                    "Si, impatto di genere indiretto (ad es. le spese relative a interventi di "
                    "sostegno verso persone anziane, non autosufficienti, con disabilità o minori "
                    "ecc., la cui cura è largamente sostenuta dalle donne)",
                    "Yes, indirect gender impact",
                ),
                O("3", "No", "No"),
                O("4", "Non saprei", "Don't know"),
            ),
        ),
        Q(
            "gender_objectives_yes_direct_desc",
            Kind.LONGTEXT,
            "Puoi indicarci questi obiettivi e descriverli brevemente?",
            "Direct objectives",
            step=1,
            section="genere",
            condition={"gender_objectives": ["1"]},
        ),
        Q(
            "gender_objectives_yes_indirect_desc",
            Kind.LONGTEXT,
            "Puoi indicarci questi obiettivi e descriverli brevemente?",
            "Indirect objectives",
            step=1,
            section="genere",
            condition={"gender_objectives": ["2"]},
        ),
        Q(
            "gender_language",
            Kind.CHOICE,
            "Nel progetto i partecipanti (a volte chiamati beneficiari) sono distinti per genere "
            "(donne, uomini, altri), utilizzando - per esempio - parole come donne, bambine, "
            "anziane, studentesse, lavoratrici, etc.",
            "Are participants distinguished by gender?",
            step=1,
            section="genere",
            options=YES_NO_DONTKNOW,
        ),
        Q(
            "gender_language_desc",
            Kind.LONGTEXT,
            "Puoi indicarci quali termini sono stati utilizzati?",
            "Which terms?",
            step=1,
            section="genere",
            condition={"gender_language": ["1"]},
        ),
        Q(
            "gender_finance",
            Kind.CHOICE,
            "Il progetto stanzia risorse finanziarie esplicitamente destinate ad azioni che "
            "promuovono la parità di genere?",
            "Resources explicitly for gender equality?",
            step=1,
            section="genere",
            options=YES_NO_DONTKNOW,
        ),
        Q(
            "gender_finance_desc",
            Kind.TEXT,
            "In che percentuale rispetto al budget totale?",
            "Share of the budget",
            step=1,
            section="genere",
            condition={"gender_finance": ["1"]},
        ),
        Q(
            "gender_indicators",
            Kind.CHOICE,
            "Sono stati indicati esplicitamente indicatori (es. numero di operatrici formate o "
            "percentuale di aumento delle studentesse iscritte a corsi STEM) per monitorare e "
            "valutare l’impatto del progetto in termini di promozione della parità di genere?",
            "Gender indicators?",
            step=1,
            section="genere",
            options=YES_NO_DONTKNOW,
        ),
        Q(
            "gender_indicators_desc",
            Kind.LONGTEXT,
            "Quali indicatori?",
            "Which indicators?",
            step=1,
            section="genere",
            condition={"gender_indicators": ["1"]},
        ),
        Q(
            "stato_di_avanzamento",
            Kind.CHOICE,
            "Stato di avanzamento del progetto monitorato:",
            "Progress state",
            section="avanzamento",
            required=True,
            options=PROGRESS_STATES,
            help_it="Indipendentemente dalle tempistiche dichiarate, qual è il reale avanzamento "
            "del progetto monitorato?",
        ),
        Q(
            "stato_di_avanzamento_infrastrutturale",
            Kind.CHOICE,
            "Stato avanzamento lavori:",
            "Works status",
            section="avanzamento",
            condition={"project_cup_nature": [PUBLIC_WORKS]},
            options=(
                O("1", "Non avviato", "Not started"),
                O("2", "In avvio di progettazione - Studio di fattibilità", "Feasibility study"),
                O("3", "In corso di progettazione - Progettazione esecutiva", "Detailed design"),
                O("4", "In affidamento - Affidamento gara in corso", "Tendering"),
                O("5", "In esecuzione - Lavori iniziati", "Works under way"),
                O("6", "Eseguito - Conclusa la fase di esecuzione", "Works completed"),
            ),
        ),
        Q(
            "avanzamento",
            Kind.LONGTEXT,
            "Descrizione dello stato di avanzamento del progetto monitorato:",
            "Description of the progress",
            section="avanzamento",
            required=True,
        ),
        EFFECTIVENESS,
        RESULTS_TEXT,
        *_problems({"stato_di_avanzamento": ["2", "4", "5"]}),
        STRENGTHS,
        WEAKNESSES,
        RISKS,
        SOLUTIONS,
        *_methods(METHODS),
        Q(
            "facilita_accesso_informazioni",
            Kind.CHOICE,
            "Facilità di accesso alle informazioni pubbliche",
            "Ease of access to information",
            section="metodo",
            options=(
                O("1", "Facile", "Easy"),
                O("2", "Con qualche difficiltà", "With some difficulty"),
                O("3", "Difficoltoso", "Difficult"),
                O("4", "Impossibile", "Impossible"),
            ),
        ),
        *INTERVIEWS,
        Q(
            "questionario_extra",
            Kind.LONGTEXT,
            "Se hai somministrato un questionario, quali tipologie di persone sono state coinvolte "
            "e quale è stato il tasso di risposta?",
            "Questionnaire details",
            section="metodo",
            condition={"questionario_utenti": ["true"], "questionario_altri": ["true"]},
        ),
        *IMPACT,
    ),
)

QUESTIONNAIRES: dict[str, QuestionnaireSpec] = {q.code: q for q in (LEGACY, V2019, V2022)}
CURRENT = V2022.code

# Questions whose closed answers people filter on, across versions.
METHOD_KEYS = [key for key, _, _ in LEGACY_METHODS + METHODS]
IMPACT_RESPONSE_KEYS = [
    "admin_response_no",
    "admin_response_some",
    "admin_response_formal",
    "admin_response_promises",
    "admin_response_unlocked",
    "admin_response_flagged",
]


def get_spec(code: str) -> QuestionnaireSpec:
    try:
        return QUESTIONNAIRES[code]
    except KeyError:
        raise KeyError(f"unknown questionnaire version {code!r}") from None
