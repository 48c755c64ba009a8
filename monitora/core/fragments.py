"""Fragment caches: the costly part of a public page, rendered once per version of what it shows.

The page cache (`core.pagecache`) keeps whole pages; when it misses (the first visit after a
change, a new query string, a language, the cache turned off) the page is rendered again. A
fragment kept here spares the part that needs the database: the caller names the *same scopes*
its page depends on, and the fragment is stored with their generations exactly as a page is
(`cache_lookup` / `cache_store`), so every write that moves a page on moves its fragments on too.
The key holds the active language. Only what every anonymous visitor sees may be cached here:
callers keep user-dependent parts (forms, permissions) outside or skip the cache for them.

`FRAGMENT_CACHE_ENABLED` turns it off (tests that change data through factories, which announce
nothing, and the "nothing cached" benchmark figure).
"""

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from .pagecache import cache_lookup, cache_store

FRAGMENT_PREFIX = "fragment:"


def fragment_key(name: str) -> str:
    digest = hashlib.sha256(f"{name}\n{get_language() or ''}".encode()).hexdigest()
    return FRAGMENT_PREFIX + digest


def query_name(name: str, request: HttpRequest) -> str:
    """`name` plus the whole query string, sorted: for a fragment that depends on the filters."""
    return f"{name}?{sorted((k, v) for k in request.GET for v in request.GET.getlist(k))!r}"


def cached_fragment[T](name: str, scopes: Iterable[str], render: Callable[[], T]) -> T:
    """`render()`'s value for the current generations of `scopes` and language, computed at most
    once per version (values must pickle: strings, rendered HTML, plain dicts)."""
    if not settings.FRAGMENT_CACHE_ENABLED:
        return render()
    key = fragment_key(name)
    generations, value = cache_lookup(key, scopes)
    if value is None:
        value = render()
        cache_store(key, generations, value)
    return value
