"""The open data corpus as the API sees it in production: projects linked to every territory level
(as the catalogue importer links them) and reports in the search index (as the report services
index them), plus stale index rows for hidden reports to prove the published-only gate."""

from monitora.catalogue.models import Territory
from monitora.opendata.tests.corpus import Corpus, build_corpus
from monitora.reports.models import Report, ReportStatus
from monitora.search.services import report_search_index


def index_reports(reports) -> None:
    for report in reports:
        report_search_index(report)


def index_stale(report: Report) -> None:
    """Index a hidden report as if it had been published, then hide it again without reindexing."""
    status = report.status
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED)
    report_search_index(report)
    Report.objects.filter(pk=report.pk).update(status=status)


def build_api_corpus() -> Corpus:
    corpus = build_corpus()
    comune = corpus.project.territories.get(kind=Territory.Kind.MUNICIPALITY)
    corpus.project.territories.add(comune.parent, comune.parent.parent)
    index_reports([corpus.published, corpus.legacy])
    for report in corpus.hidden:
        index_stale(report)
    return corpus
