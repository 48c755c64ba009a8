"""One cache-key helper: every argument of the validated query changes the key (issue 16/4)."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from monitora.core.cachekeys import query_cache_key

BASE = {"q": "strada", "region": None, "funding_min": Decimal("10"), "page": 1, "page_size": 20, "sort": "x"}


@pytest.mark.parametrize("name", list(BASE))
def test_changing_any_argument_changes_the_key(name):
    changed = {**BASE, name: "other" if not isinstance(BASE[name], int) else BASE[name] + 1}
    assert query_cache_key("p", changed) != query_cache_key("p", BASE)


@given(st.dictionaries(st.sampled_from(list(BASE)), st.integers() | st.text() | st.none(), min_size=1))
def test_key_is_stable_and_order_free(query):
    reordered = dict(reversed(list(query.items())))
    assert query_cache_key("p", query) == query_cache_key("p", reordered)
    assert len(query_cache_key("p", query)) < 100


def test_language_is_part_of_the_key():
    with translation.override("it"):
        italian = query_cache_key("p", BASE)
    with translation.override("en"):
        assert query_cache_key("p", BASE) != italian
