"""The two full-text engines behind one interface: PostgreSQL tsvector and SQLite FTS5.

PostgreSQL: `vector` = setweight(to_tsvector('italian', title), 'A') || ... body 'B', GIN index;
queries are built from already-split words (plainto/phraseto_tsquery), never from raw user syntax.
SQLite: FTS5 table `search_report_fts` (rowid = report id) holding Snowball-stemmed words; the MATCH
expression quotes every stemmed term. Other databases fall back to a LIKE search (no stemming).
"""

from functools import reduce
from operator import and_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from .text import ParsedQuery, fts5_match, stemmed_text

CONFIG = "italian"
FTS_TABLE = "search_report_fts"


def vendor() -> str:
    return connection.vendor


def write(document) -> None:
    """Refresh the full-text entry of a saved ReportSearchDocument."""
    from .models import ReportSearchDocument

    if vendor() == "postgresql":
        ReportSearchDocument.objects.filter(pk=document.pk).update(
            vector=SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("body", weight="B", config=CONFIG)
        )
    elif vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [document.pk, stemmed_text(document.title), stemmed_text(document.body)],
            )


def delete(report_ids: list[int]) -> None:
    if vendor() == "sqlite" and report_ids:
        with connection.cursor() as cursor:
            marks = ",".join(["%s"] * len(report_ids))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", report_ids)  # noqa: S608


def _pg_query(query: ParsedQuery) -> SearchQuery:
    parts = [
        SearchQuery(" ".join(term), config=CONFIG, search_type="phrase" if len(term) > 1 else "plain")
        for term in query.terms
    ]
    return reduce(and_, parts)


def matching(documents: QuerySet, query: ParsedQuery, *, rank: bool = False) -> QuerySet:
    """Documents matching every term; with `rank`, annotated with `rank` (higher is better)."""
    if not query:
        return documents
    if vendor() == "postgresql":
        search = _pg_query(query)
        documents = documents.filter(vector=search)
        return documents.annotate(rank=SearchRank(F("vector"), search)) if rank else documents
    if vendor() == "sqlite":
        match = fts5_match(query)
        table = documents.model._meta.db_table
        documents = documents.filter(
            pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611 - constant SQL, bound match
        )
        if rank:
            # bm25 weights: a word in the title counts ten times one in the body.
            score = (
                f"(SELECT -bm25({FTS_TABLE}, 10.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {table}.report_id)"
            )
            documents = documents.annotate(rank=RawSQL(score, [match]))  # noqa: S611 - constant SQL
        return documents
    condition = reduce(
        and_, (Q(body__icontains=" ".join(t)) | Q(title__icontains=" ".join(t)) for t in query.terms)
    )
    documents = documents.filter(condition)
    return documents.annotate(rank=RawSQL("0", [])) if rank else documents
