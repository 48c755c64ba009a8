"""Writes to the search index. Nobody calls these after a change: services announce changes with
`reports.changes.reports_changed`, and the listener in `apps.py` queues `tasks.reindex_reports`,
which calls `report_search_sync` once the transaction has committed."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from monitora.reports.models import Answer, Report

from . import fulltext, geo
from .facts import catalogue_facts, judgements, locate, report_text, report_year
from .models import ReportSearchDocument
from .text import fold


def _with_relations(reports: QuerySet) -> QuerySet:
    public_answers = Answer.objects.public().select_related("question", "option")
    return reports.select_related("project", "team").prefetch_related(
        Prefetch("answers", queryset=public_answers), "project__territories"
    )


def _document_fields(report: Report) -> dict:
    # Step 3 (impact) is public only once its own review publishes it: never index it before.
    answers = {a.question.key: a for a in report.answers.all()}
    place = locate(report)
    region = geo.regions().get(place["region"])
    province = geo.provinces().get(place["province"])
    names = [p.name for p in (region, province) if p]
    title, body = report_text(report, answers, names)
    return {
        "title": fold(title),
        "body": fold(body),
        "region_name": region.name if region else "",
        "province_name": province.name if province else "",
        "year": report_year(report),
        "author_category": report.team.category if report.team_id else "",
        "published_at": report.published_at,
        **place,
        **judgements(answers),
        **catalogue_facts(report),
    }


def _index_one(report: Report) -> ReportSearchDocument:
    document, _ = ReportSearchDocument.objects.update_or_create(
        report_id=report.pk, defaults=_document_fields(report)
    )
    fulltext.write(document)
    return document


@transaction.atomic
def report_search_index(report: Report) -> ReportSearchDocument | None:
    """Index a published report, or drop it from the index if it is not (or no longer) published."""
    published = _with_relations(Report.objects.published().filter(pk=report.pk)).first()
    if published is None:
        report_search_unindex(report_ids=[report.pk])
        return None
    return _index_one(published)


@transaction.atomic
def report_search_unindex(*, report_ids: Iterable[int]) -> None:
    ids = list(report_ids)
    ReportSearchDocument.objects.filter(report_id__in=ids).delete()
    fulltext.delete(ids)


def report_search_sync(report_ids: Iterable[int], *, batch_size: int = 500) -> tuple[int, int]:
    """Index the published reports among `report_ids` and drop the others: (indexed, removed)."""
    ids = sorted({int(pk) for pk in report_ids})
    indexed = removed = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            published = list(_with_relations(Report.objects.published().filter(pk__in=chunk)))
            for report in published:
                _index_one(report)
            gone = sorted(set(chunk) - {r.pk for r in published})
            stale = ReportSearchDocument.objects.filter(report_id__in=gone).count()
            report_search_unindex(report_ids=gone)  # also clears full-text rows of deleted reports
        indexed, removed = indexed + len(published), removed + stale
    return indexed, removed


def report_search_reindex(*, batch_size: int = 500) -> tuple[int, int]:
    """Rebuild the whole index in batches (one transaction each); returns (indexed, removed)."""
    stale = list(
        ReportSearchDocument.objects.exclude(report__in=Report.objects.published()).values_list(
            "report_id", flat=True
        )
    )
    report_search_unindex(report_ids=stale)
    ids = list(Report.objects.published().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            for report in _with_relations(
                Report.objects.published().filter(pk__in=ids[start : start + batch_size])
            ):
                _index_one(report)
    return len(ids), len(stale)
