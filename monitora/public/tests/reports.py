"""A published report with every section filled in, shared by the page, PDF and browser tests."""

import datetime as dt

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.core.reflow import reflow
from monitora.questionnaires.models import Questionnaire
from monitora.questionnaires.validation import clean_answers
from monitora.reports.models import ImpactStatus, Report, ReportLink
from monitora.reports.services import report_save_answers
from monitora.reports.tests.factories import ReportFactory

RICH_ANSWERS = {
    "descrizione": "Il progetto WELCOME vuole favorire l'inserimento lavorativo di persone disoccupate "
    "nei comuni di La Loggia, Moncalieri e Trofarello.",
    "avanzamento": "Il progetto è iniziato in data 15/07/2020 ed è in corso.",
    "valutazione_risultati": "5",
    "risultato_progetto": "Le attività svolte sono state:\n1) analisi dei bisogni;\n"
    "2) mappatura delle risorse.",
    "punti_deboli": "Scarsa partecipazione alle attività formative da parte dei beneficiari.",
    "punti_di_forza": "Due percorsi formativi attivati a febbraio con dodici partecipanti.",
    "rischi": "La pandemia acuisce l'incertezza lavorativa dei beneficiari.",
    "soluzioni_progetto": "Servizi specialistici per il reinserimento e incentivi all'assunzione.",
    "giudizio_sintetico": "2",
    "raccolta_info_web": "1",
    "raccolta_info_attuatore": "1",
    "intervista_utenti_beneficiari": "0",
    "intervista_intervistati": "Le persone intervistate sono state:\n1) il sindaco di La Loggia.",
    "intervista_domande": "1) I risultati sono in linea con le vostre aspettative?",
    "intervista_risposte": "1) Solo in parte: la pandemia ha impedito gran parte degli incontri.",
    "admin_response_promises": "1",
    "impact_description": "Il comune ha promesso un nuovo bando per il secondo semestre.",
}
RICH_SNAPSHOT = {
    "code": "1PIE0042",
    "title": "WELCOME - strategia di innovazione sociale",
    "theme": "Inclusione sociale",
    "start_date": "2020-07-15",
    "actual_end_date": "",
    "planned_end_date": "20221231",
    "state": "In corso",
    "net_public_funding": "1234567.5",
    "programmes": ["POR PIEMONTE FSE 2014-2020"],
    "cycle": "Ciclo di programmazione 2014-2020",
    "subjects": [
        {"role": "Programmatore", "name": "REGIONE PIEMONTE"},
        {"role": "Attuatore", "name": "COMUNE DI MONCALIERI"},
        *({"role": "Beneficiario", "name": f"COOPERATIVA {n}"} for n in range(1, 7)),
    ],
}


def make_rich_report(*, title: str = "WELCOME - monitoraggio della strategia", **fields) -> Report:
    """A published v2019 report (the example's form) with answers, snapshot, impact and links."""
    project = fields.pop("project", None) or ProjectFactory(code=RICH_SNAPSHOT["code"])
    defaults = {
        "impact_status": ImpactStatus.PUBLISHED,
        "address": "Piazza Vittorio Emanuele II, Moncalieri",
        "author_name": "Team Doest",
        "handle": "Doest18",
    }
    report = ReportFactory(
        published=True,
        title=title,
        questionnaire=Questionnaire.objects.get(code="v2019"),
        project=project,
        project_code=project.code,
        submitted_at=dt.datetime(2021, 3, 15, 10, tzinfo=dt.UTC),
        project_snapshot=RICH_SNAPSHOT,
        **(defaults | fields),
    )
    report_save_answers(report=report, answers=clean_answers("v2019", RICH_ANSWERS))
    ReportLink.objects.bulk_create(
        [
            ReportLink(
                report=report,
                kind=ReportLink.Kind.IMAGE,
                position=0,
                title="Il cantiere",
                url="https://files.ascuoladiopencoesione.it/foto-cantiere.png",
            ),
            ReportLink(
                report=report,
                kind=ReportLink.Kind.IMAGE,
                position=1,
                url="https://example.org/altra-foto.jpg",
            ),
            ReportLink(
                report=report,
                kind=ReportLink.Kind.VIDEO,
                title="Il video del team",
                url="https://www.youtube.com/watch?v=abc123",
            ),
            ReportLink(
                report=report,
                kind=ReportLink.Kind.SOURCE,
                title="Delibera regionale",
                url="https://www.regione.piemonte.it/delibera.pdf",
            ),
            ReportLink(
                report=report, kind=ReportLink.Kind.SOURCE, title="Link pericoloso", url="javascript:alert(1)"
            ),
        ]
    )
    return report


def shown_pieces(answer: str) -> list[str]:
    """An answer as a reader sees it: reflowed paragraphs and list items (list markers drawn apart)."""
    return [piece for p in reflow(answer) for piece in (p.items or [p.text])]
