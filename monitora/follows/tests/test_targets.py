"""Saved searches are stored canonically, whichever names the page used, and named for people."""

import pytest

from monitora.catalogue.tests.factories import TerritoryFactory
from monitora.follows.targets import target_resolve

pytestmark = pytest.mark.django_db


def test_saved_search_is_canonical_and_readable():
    TerritoryFactory(kind="R", code="15", name="Campania")
    italian = target_resolve("search", "regione=15&q=scuola&anno=2021")
    english = target_resolve("search", "year=2021&region=15&q=scuola")
    assert italian.target == english.target == "q=scuola&region=15&year=2021"
    assert italian.label == "Ricerca: «scuola», Campania, year: 2021"
    assert italian.feed_url.startswith("/feeds/cerca/?") and italian.page_url.startswith("/cerca/?")
    assert target_resolve("search", "") is None and target_resolve("search", "anno=NaN") is None
