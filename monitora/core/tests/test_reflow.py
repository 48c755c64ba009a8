"""Reflow of authors' hard-wrapped text (issue 13): sentences joined, paragraphs and lists kept."""

from pathlib import Path

from django.conf import settings

from monitora.core.reflow import Paragraph, reflow, reflow_html

WECARE = Path(settings.BASE_DIR) / "data" / "examples" / "wecare-report.txt"


def _section(heading: str, following: str) -> str:
    text = WECARE.read_text(encoding="utf-8")
    return text[text.index(f"\n{heading}\n") + len(heading) + 2 : text.index(f"\n{following}\n")]


def test_lines_that_continue_a_sentence_are_joined_and_lists_kept():
    paragraphs = reflow(_section("Risultati", "Punti di debolezza"))
    texts = [p.text for p in paragraphs if not p.is_list]
    assert any(
        "POR FSE e POR FESR per la realizzazione di welfare territoriali, è stato approvato il programma "
        "“FACCIAMO CO.S.E.- COMUNITÀ CHE SVILUPPA ENERGIE”." in t
        for t in texts
    )
    lists = [p for p in paragraphs if p.is_list]
    assert [len(p.items) for p in lists] == [2, 4]
    assert lists[0].ordered and lists[0].items[0] == "Analisi dei bisogni dei cittadini disoccupati;"
    assert texts[-1].startswith("In sintesi, queste sono le attività") and texts[-1].endswith("pandemica.")


def test_an_item_that_wraps_stays_one_item_and_numbering_resumes():
    items = [p for p in reflow(_section("Punti di forza", "Rischi")) if p.is_list][0].items
    assert len(items) == 2
    assert "Croce Rossa Italiana. I soggetti stanno acquisendo" in items[0]
    text = WECARE.read_text(encoding="utf-8")
    answers = reflow(text[text.index("\nRisposte principali\n") + 21 :])
    assert [p.start for p in answers if p.is_list] == [1, 2]
    assert [p.is_list for p in answers] == [True, False, True, False, False]


def test_blank_lines_end_paragraphs_and_bullets_make_unordered_lists():
    assert reflow("Primo\nparagrafo.\n\nSecondo paragrafo") == [
        Paragraph(text="Primo paragrafo."),
        Paragraph(text="Secondo paragrafo"),
    ]
    assert reflow("Fonti:\n- il sito\n  • il bando") == [
        Paragraph(text="Fonti:"),
        Paragraph(items=["il sito", "il bando"]),
    ]
    # A sentence ending at a line end starts a paragraph, unless the next line starts in lower case.
    assert [p.text for p in reflow("Fine.\nNuovo inizio.\nad es.\nil resto")] == [
        "Fine.",
        "Nuovo inizio. ad es. il resto",
    ]
    assert reflow("2022. Un anno") == [Paragraph(text="2022. Un anno")]
    # Short lines starting with a capital were meant as lines: a list of names is not one sentence.
    assert [p.text for p in reflow("Comune di Sora\nRegione Lazio\nMinistero dell'Interno")] == [
        "Comune di Sora",
        "Regione Lazio",
        "Ministero dell'Interno",
    ]


def test_html_escapes_the_authors_text():
    html = reflow_html('<script>alert("x")</script>\n3) <b>tre</b>\n4) quattro')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<ol start="3"><li>&lt;b&gt;tre&lt;/b&gt;</li><li>quattro</li></ol>' in html
