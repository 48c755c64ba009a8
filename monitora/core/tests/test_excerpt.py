"""Excerpts never just repeat the title (issue 13)."""

from monitora.core.excerpt import beyond_title, excerpt

TITLE = "Realizzazione di una sala polivalente a Zola Predosa"


def test_text_that_only_repeats_the_title_is_skipped():
    assert beyond_title("REALIZZAZIONE di una sala polivalente a zola predosa.", TITLE) == ""
    assert beyond_title("Realizzazione di una sala", TITLE) == ""  # the start of it
    assert beyond_title("  ", TITLE) == ""


def test_a_repeated_title_is_dropped_from_the_start_of_a_longer_text():
    assert beyond_title(f"{TITLE} - Il comune ha aperto la sala nel 2021.", TITLE) == (
        "Il comune ha aperto la sala nel 2021."
    )
    assert beyond_title("Il comune ha aperto la sala.", TITLE) == "Il comune ha aperto la sala."
    assert beyond_title("Realizzazione di un parco", TITLE) == "Realizzazione di un parco"


def test_excerpt_takes_the_first_text_that_differs_and_truncates_it():
    assert excerpt(TITLE, ["", TITLE, "Secondo testo.", "Terzo"]) == "Secondo testo."
    assert excerpt(TITLE, [TITLE]) == ""
    assert excerpt("", ["Un testo lungo " * 30], length=40).endswith("…")
