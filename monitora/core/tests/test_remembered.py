"""`pagecache.remembered`: a value computed once per version of what it depends on (the report PDF)."""

import pytest

from monitora.core import pagecache


@pytest.fixture
def computed():
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return f"file-{len(calls)}"

    compute.calls = calls
    return compute


def _remembered(compute, use=str.upper, gone=()):
    return pagecache.remembered("k", ("scope:a",), compute=compute, use=use, gone=gone)


def test_computed_once_until_its_scope_changes(page_cache, computed):
    page_cache.clear()
    pagecache.forget_local()
    assert _remembered(computed) == "FILE-1"
    assert _remembered(computed) == "FILE-1" and len(computed.calls) == 1
    pagecache.bump(["scope:a"])
    assert _remembered(computed) == "FILE-2" and len(computed.calls) == 2


def test_a_value_found_gone_is_computed_again(page_cache, computed):
    page_cache.clear()
    pagecache.forget_local()
    _remembered(computed)

    def use(name: str) -> str:
        if name == "file-1":
            raise FileNotFoundError(name)
        return name

    assert _remembered(computed, use=use, gone=FileNotFoundError) == "file-2"
    assert _remembered(computed, use=use, gone=FileNotFoundError) == "file-2" and len(computed.calls) == 2


def test_with_the_page_cache_off_always_computed(settings, computed):
    settings.PAGE_CACHE_ENABLED = False
    _remembered(computed)
    _remembered(computed)
    assert len(computed.calls) == 2
