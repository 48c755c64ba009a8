"""A small realistic corpus for the reuse channels: published reports of every questionnaire
version, plus every kind of report that must never leave (draft, submitted, rejected, a published
report whose Step 3 is not yet published, a report sent back after publication)."""

import datetime as dt
from dataclasses import dataclass

from monitora.catalogue.models import Territory
from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.questionnaires.models import Questionnaire
from monitora.questionnaires.validation import clean_answers
from monitora.reports.models import ImpactStatus, ReportLink, ReportStatus
from monitora.reports.services import report_save_answers
from monitora.reports.tests.factories import ReportFactory
from monitora.search.services import report_search_index

SECRET = "SEGRETO-NON-PUBBLICATO"


@dataclass
class Corpus:
    region: Territory
    project: object
    published: object
    legacy: object
    hidden: list


def _answers(report, code: str, raw: dict) -> None:
    report_save_answers(report=report, answers=clean_answers(code, raw))


def build_corpus() -> Corpus:
    region = TerritoryFactory(code="15", kind=Territory.Kind.REGION, name="Campania")
    province = TerritoryFactory(code="061", kind=Territory.Kind.PROVINCE, name="Caserta", parent=region)
    comune = TerritoryFactory(code="061022", name="Caserta", parent=province, latitude=41.07, longitude=14.33)
    other_region = TerritoryFactory(code="01", kind=Territory.Kind.REGION, name="Piemonte")
    project = ProjectFactory(
        code="1MISEPON04A3_00133/1",
        theme_code="09",
        theme="Cultura e turismo",
        cycle="Ciclo di programmazione 2014-2020",
        programmes=["PON Cultura e Sviluppo"],
        net_public_funding="1250000.50",
        title="Reggia di Caserta: restauro",
    )
    project.territories.add(comune)
    published = ReportFactory(
        published=True,
        project=project,
        project_code=project.code,
        title='=HYPERLINK("http://evil") La Reggia',
        author_name="Classe 4B",
        latitude=41.0731,
        longitude=14.3270,
        impact_status=ImpactStatus.DRAFT,
        project_snapshot={"title": project.title, "state": "In corso", "theme": "Cultura e turismo"},
    )
    _answers(
        published,
        "v2022",
        {
            "obiettivi": "Restaurare la Reggia",
            "stato_di_avanzamento": "4",
            "avanzamento": "-lavori fermi da mesi",
            "gs": "2",
            "problemi_tecnici": "1",
            "visita_diretta": "1",
            "raccolta_info_web": "0",
            "admin_response_promises": "1",
            "impact_description": SECRET + " impatto in revisione",
        },
    )
    ReportLink.objects.create(report=published, kind=ReportLink.Kind.SOURCE, url="https://example.org/fonte")
    legacy = ReportFactory(
        published=True,
        questionnaire=Questionnaire.objects.get(code="legacy"),
        title="Scuola di Napoli",
        impact_status=ImpactStatus.PUBLISHED,
        submitted_at=dt.datetime(2016, 4, 1, 9, tzinfo=dt.UTC),
        published_at=dt.datetime(2016, 4, 10, 9, tzinfo=dt.UTC),
    )
    _answers(
        legacy,
        "legacy",
        {
            "descrizione": "Una scuola",
            "giudizio_sintetico": "5",
            "valutazione_risultati": "4",
            "tv_locali": "1",
        },
    )
    hidden = [
        ReportFactory(title=f"{SECRET} bozza", project=project, project_code=project.code),
        ReportFactory(title=f"{SECRET} inviato", project=project, status=ReportStatus.SUBMITTED),
        ReportFactory(title=f"{SECRET} respinto", project=project, status=ReportStatus.REJECTED),
        # Published once, then sent back for changes: it must disappear until published again.
        ReportFactory(
            title=f"{SECRET} in revisione",
            project=project,
            project_code=project.code,
            status=ReportStatus.CHANGES_REQUESTED,
            published_at=dt.datetime(2024, 1, 5, tzinfo=dt.UTC),
        ),
    ]
    for report in hidden:
        _answers(report, "v2022", {"stato_di_avanzamento": "5", "gs": "3", "avanzamento": SECRET})
    other_region.save()
    for report in (published, legacy):
        report_search_index(report)  # as the publish service does: every channel reads the index
    return Corpus(region=region, project=project, published=published, legacy=legacy, hidden=hidden)
