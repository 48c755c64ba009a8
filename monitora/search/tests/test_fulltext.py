import pytest
from django.db import connection

from monitora.search.filters import html_filters
from monitora.search.selectors import report_search
from monitora.search.text import SearchInputError

from .helpers import make_report

pytestmark = pytest.mark.django_db


def _titles(**kwargs) -> set[str]:
    return {doc.title for doc in report_search(html_filters({"q": kwargs["query"]})).items}


def test_accents_and_case_are_ignored():
    make_report(title="Riqualificazione della CITTÀ vecchia")
    make_report(title="Perché il ponte è fermo")
    assert _titles(query="città") == {"Riqualificazione della CITTÀ vecchia"}
    assert _titles(query="CITTA") == {"Riqualificazione della CITTÀ vecchia"}
    assert _titles(query="perche") == {"Perché il ponte è fermo"}


def test_italian_stemming_finds_plural_and_singular():
    make_report(title="Una nuova scuola a Caserta")
    make_report(title="Il parco giochi")
    assert _titles(query="scuole") == {"Una nuova scuola a Caserta"}
    assert _titles(query="parchi") == {"Il parco giochi"}


def test_text_of_answers_is_searched_and_all_terms_must_match():
    make_report(title="Report A", answers={"avanzamento": "Il cantiere della palestra è bloccato"})
    make_report(title="Report B", answers={"avanzamento": "La palestra è stata inaugurata"})
    assert _titles(query="palestra") == {"Report A", "Report B"}
    assert _titles(query="palestra cantiere") == {"Report A"}


def test_quoted_phrase_needs_adjacent_words():
    make_report(title="Il parco giochi comunale")
    make_report(title="Giochi nel parco")
    assert _titles(query='"parco giochi"') == {"Il parco giochi comunale"}
    assert _titles(query="parco giochi") == {"Il parco giochi comunale", "Giochi nel parco"}


def test_relevance_puts_title_matches_first():
    make_report(title="Altro progetto", answers={"avanzamento": "si parla anche di biblioteca"})
    make_report(title="La biblioteca comunale")
    result = report_search(html_filters({"q": "biblioteca"}))
    assert result.sort == "rilevanza"
    assert [d.title for d in result.items] == ["La biblioteca comunale", "Altro progetto"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "scuola*",
        ":",
        "title:scuola",
        "&",
        "|",
        "!",
        "()",
        "(scuola",
        "NEAR(a b)",
        "scuola AND",
        "OR",
        "NOT scuola",
        "-scuola",
        "^scuola",
        "'; DROP TABLE x; --",
        "\x00",
        "{}[]",
        "@@",
    ],
)
def test_full_text_syntax_characters_never_break_the_search(query):
    make_report(title="Una scuola")
    result = report_search(html_filters({"q": query}))
    assert result.total in (0, 1)


def test_syntax_characters_are_separators():
    make_report(title="Una scuola")
    assert _titles(query="(scuola)") == {"Una scuola"}
    assert _titles(query="scuola*") == {"Una scuola"}


def test_overlong_query_is_refused_with_a_message():
    with pytest.raises(SearchInputError, match="troppo lunga"):
        report_search(html_filters({"q": "scuola " * 100}))


def test_engine_in_use():
    # Both engines are covered: CI runs this suite on SQLite and on PostgreSQL.
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.postgres_only
def test_postgresql_search_uses_the_gin_index():
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only; SQLite uses FTS5 (tested above)")
    from monitora.search import fulltext
    from monitora.search.models import ReportSearchDocument
    from monitora.search.text import parse_query

    for n in range(5):
        make_report(title=f"Scuola numero {n}")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = fulltext.matching(ReportSearchDocument.objects.all(), parse_query("scuole")).explain()
    assert "search_doc_vector_gin" in plan


def test_sqlite_index_is_an_fts5_table():
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 is the SQLite engine; PostgreSQL uses tsvector (tested above)")
    make_report(title="Le scuole di Città")
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM search_report_fts")
        assert cursor.fetchall() == [("le scuol di citt",)]
