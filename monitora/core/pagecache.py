"""Server-side and shared (CDN) caching of public pages for anonymous visitors.

A page is stored under one key (`page_key`: path, whole query string sorted, language, htmx flag)
together with the *generations* of the scopes it depends on, read before it was rendered. A
generation is a counter in the cache; `bump("reports")` moves it on, so every entry stored at the
old value is stale. One `get_many` fetches the counters and the entry together (`cache_lookup`):
a hit costs one round trip to Redis. Each process also keeps recent pages and generations in
memory (`_Local`) and re-reads the generations at most every `PAGE_CACHE_LOCAL_SECONDS`: a change
shows at once on the process that made it and within that window (default 1 s) everywhere else.

Writes announce changes through the domain hooks; the listeners that
bump live in the apps that know the domain (see `monitora/public/apps.py`). Core knows no domain:
scope names are plain strings chosen by the callers.

Only anonymous GET/HEAD requests that carry neither a session nor a messages cookie are served from
or stored in the cache, and only 200 answers that set no cookie are stored. They get an `ETag`,
`Last-Modified` (304 on a match) and a `Cache-Control` a CDN may keep for a short while; every
other answer from a decorated view is `private`.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .cachekeys import query_cache_key

GENERATION_PREFIX = "pagegen:"
PAGE_PREFIX = "page:"
LOCK_SUFFIX = ":rendering"
RENDER_LOCK_SECONDS = 30  # a render that takes longer (or a crashed worker) stops holding others back
# Headers kept with a stored page (everything else is recomputed by the middleware on each answer).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Link")
# A stored page varies on these request headers; a shared cache must do the same.
VARY = ("Cookie", "Accept-Language", "HX-Request")

Scopes = Iterable[str] | Callable[..., Iterable[str]]


def _missing_generation() -> int:
    # Not 0: after a cache flush a stored entry can never carry the value a fresh counter takes.
    return time.time_ns()


class _Local:
    """This process's copy of recent generations and pages (the L1 in front of the shared cache).

    Generations read from the shared cache are trusted for `PAGE_CACHE_LOCAL_SECONDS`; while they
    are, a page stored locally at those generations is served without a round trip. A bump made
    by this process forgets them at once; another process or server sees it within that window.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generations: dict[str, tuple[int, float]] = {}
        self.entries: OrderedDict[str, tuple[tuple[int, ...], Any]] = OrderedDict()

    def fresh_generations(self, names: list[str]) -> tuple[int, ...] | None:
        window = settings.PAGE_CACHE_LOCAL_SECONDS
        if window <= 0:
            return None
        now = time.monotonic()
        known = [self.generations.get(n) for n in names]
        if all(k is not None and now - k[1] < window for k in known):
            return tuple(k[0] for k in known)  # type: ignore[index]
        return None

    def remember_generations(self, names: list[str], values: tuple[int, ...]) -> None:
        now = time.monotonic()
        with self.lock:
            self.generations.update({n: (v, now) for n, v in zip(names, values, strict=True)})

    def get(self, key: str, generations: tuple[int, ...]) -> Any:
        with self.lock:
            found = self.entries.get(key)
            if found is None or found[0] != generations:
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key: str, generations: tuple[int, ...], value: Any) -> None:
        if settings.PAGE_CACHE_LOCAL_SECONDS <= 0:
            return
        with self.lock:
            self.entries[key] = (generations, value)
            self.entries.move_to_end(key)
            while len(self.entries) > settings.PAGE_CACHE_LOCAL_ENTRIES:
                self.entries.popitem(last=False)

    def forget(self, names: Iterable[str] | None = None) -> None:
        with self.lock:
            if names is None:
                self.generations.clear()
                self.entries.clear()
            else:
                for name in names:
                    self.generations.pop(name, None)


_local = _Local()
forget_local = _local.forget


def bump(names: Iterable[str]) -> None:
    """Move these scopes to a new generation: every page that depends on one is recomputed."""
    names = set(names)
    for name in names:
        key = GENERATION_PREFIX + name
        try:
            cache.incr(key)
        except ValueError:  # not there yet (or evicted): any fresh value differs from the old ones
            cache.set(key, _missing_generation(), timeout=None)
    _local.forget(names)


def page_key(request: HttpRequest) -> str:
    """The one key of a cached page: method, path, whole sorted query, language and htmx flag."""
    return query_cache_key(
        PAGE_PREFIX.rstrip(":"),
        {
            "method": "GET" if request.method == "HEAD" else request.method,
            "path": request.path,
            "query": sorted((k, v) for k in request.GET for v in request.GET.getlist(k)),
            # Development links follow the served host (`core.siteurl`): one page per host there.
            "host": request.get_host() if getattr(settings, "SITE_URL_FROM_REQUEST", False) else "",
            "htmx": request.headers.get("HX-Request") == "true",
        },
    )


def cache_lookup(key: str, scopes: Iterable[str]) -> tuple[tuple[int, ...], Any]:
    """The current generations of `scopes` and the value stored under `key` if it was stored at
    exactly these generations (else None: something it shows changed). From this process's copy
    when its generations are recent enough, else in one round trip to the shared cache."""
    names = sorted(set(scopes))
    current = _local.fresh_generations(names)
    if current is not None:
        value = _local.get(key, current)
        if value is not None:
            return current, value
    gen_keys = [GENERATION_PREFIX + n for n in names]
    found = cache.get_many([*gen_keys, key])
    for gen_key in gen_keys:
        if gen_key not in found:
            cache.add(gen_key, _missing_generation(), timeout=None)
            found[gen_key] = cache.get(gen_key)
    current = tuple(int(found[k] or 0) for k in gen_keys)
    _local.remember_generations(names, current)
    stored = found.get(key)
    if isinstance(stored, dict) and stored.get("generations") == current:
        _local.put(key, current, stored["value"])
        return current, stored["value"]
    return current, None


def previous_value(key: str) -> Any:
    """What is stored under `key` whatever its generations (the version before a change), or None."""
    stored = cache.get(key)
    return stored["value"] if isinstance(stored, dict) else None


def cache_store(key: str, generations: tuple[int, ...], value: Any) -> None:
    """Store `value` as valid for these generations (read *before* computing it: a change made
    meanwhile makes it stale at once)."""
    cache.set(key, {"generations": generations, "value": value}, settings.PAGE_CACHE_TIMEOUT)
    _local.put(key, generations, value)


def remembered[T, R](
    key: str,
    scopes: Iterable[str],
    *,
    compute: Callable[[], T],
    use: Callable[[T], R],
    gone: type[Exception] | tuple[type[Exception], ...] = (),
) -> R:
    """`use` the value remembered under `key` at the current generations of `scopes`, else
    `compute` it (once per version), remember it and `use` that. For what is not a whole page: the
    name of a stored file, say. A remembered value that `use` finds `gone` (a newer version replaced
    the file meanwhile) is computed again. With the page cache off, always computed."""
    if not settings.PAGE_CACHE_ENABLED:
        return use(compute())
    generations, value = cache_lookup(key, scopes)
    if value is not None:
        try:
            return use(value)
        except gone:
            pass
    value = compute()
    cache_store(key, generations, value)
    return use(value)


def is_anonymous_cacheable(request: HttpRequest) -> bool:
    """An anonymous visitor without session or pending messages: the page is the same for all."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def _shared_headers(response: HttpResponseBase, *, stale: bool = False) -> None:
    patch_vary_headers(response, VARY)
    patch_cache_control(
        response,
        public=True,
        max_age=0 if stale else settings.PAGE_CACHE_MAX_AGE,
        s_maxage=0 if stale else settings.PAGE_CACHE_S_MAXAGE,
    )


def _render_once(
    request: HttpRequest, key: str, generations: tuple[int, ...], view: Callable, args: tuple, kwargs: dict
) -> tuple[Any, bool]:
    """Render a page that changed, once at a time: while one request renders it, concurrent ones
    get the previous version (not stored further down by anyone) instead of piling up renders
    (a viral page edited during the spike). Returns (entry or the unshareable response, stale)."""
    lock = key + LOCK_SUFFIX
    acquired = cache.add(lock, 1, timeout=RENDER_LOCK_SECONDS)
    if not acquired:
        previous = previous_value(key)
        if previous is not None:
            return previous, True
    try:
        response = view(request, *args, **kwargs)
        entry = _entry(request, response) if isinstance(response, HttpResponse) else None
        if entry is None:
            return response, False
        cache_store(key, generations, entry)
        return entry, False
    finally:
        if acquired:
            cache.delete(lock)


def _private(response: HttpResponseBase) -> HttpResponseBase:
    patch_vary_headers(response, ("Cookie",))
    if "Cache-Control" not in response:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _from_entry(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"].items():
        response[name] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["stored"])
    return response


def _entry(request: HttpRequest, response: HttpResponse) -> dict[str, Any] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a form token: not shareable
        return None
    return {
        "content": response.content,
        "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
        "etag": _etag(response.content),
        "stored": int(time.time()),
    }


def cached_public_page(scopes: Scopes) -> Callable:
    """Decorate a public GET view: anonymous answers come from the cache, with validators and a
    CDN-friendly `Cache-Control`; signed-in users always get a fresh, `private` answer.

    `scopes` lists the generations the page depends on, or is a function of the view's keyword
    arguments returning them (e.g. `lambda report_id: [f"report:{report_id}"]`).
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not settings.PAGE_CACHE_ENABLED or not is_anonymous_cacheable(request):
                return _private(view(request, *args, **kwargs))
            key = page_key(request)
            generations, entry = cache_lookup(key, scopes(**kwargs) if callable(scopes) else scopes)
            stale = False
            if entry is None:
                entry, stale = _render_once(request, key, generations, view, args, kwargs)
                if isinstance(entry, HttpResponseBase):  # not shareable: as the view answered
                    return _private(entry)
            response = _from_entry(entry)
            _shared_headers(response, stale=stale)  # copied to a 304 by get_conditional_response
            return get_conditional_response(
                request, etag=entry["etag"], last_modified=entry["stored"], response=response
            )

        return wrapper

    return decorator
