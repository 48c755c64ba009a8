"""Server-side and shared (CDN) caching of public pages for anonymous visitors.

A page is stored under one key (`page_key`): path, whole query string (sorted), language, htmx
flag and the current *generation* of each scope the page depends on. A generation is a counter in
the cache; `bump("reports")` moves it on, so every key that mixed it in is never read again (the
old entries simply expire). Writes announce changes through the domain hooks; the listeners that
bump live in the apps that know the domain (see `monitora/public/apps.py`). Core knows no domain:
scope names are plain strings chosen by the callers.

Only anonymous GET/HEAD requests that carry neither a session nor a messages cookie are served from
or stored in the cache, and only 200 answers that set no cookie are stored. They get an `ETag`,
`Last-Modified` (304 on a match) and a `Cache-Control` a CDN may keep for a short while; every
other answer from a decorated view is `private`.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

GENERATION_PREFIX = "pagegen:"
PAGE_PREFIX = "page:"
# Headers kept with a stored page (everything else is recomputed by the middleware on each answer).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Link")
# A stored page varies on these request headers; a shared cache must do the same.
VARY = ("Cookie", "Accept-Language", "HX-Request")

Scopes = Iterable[str] | Callable[..., Iterable[str]]


def generations(names: Iterable[str]) -> list[int]:
    """Current generation of each scope (a missing counter starts at a random-ish value, not 0:
    after a cache flush an old entry can never be mistaken for a new one)."""
    names = list(names)
    keys = [GENERATION_PREFIX + n for n in names]
    found = cache.get_many(keys)
    missing = {k: time.time_ns() for k in keys if k not in found}
    if missing:
        for key, value in missing.items():
            cache.add(key, value, timeout=None)
        found.update(cache.get_many(list(missing)))
    return [int(found.get(k, 0)) for k in keys]


def bump(names: Iterable[str]) -> None:
    """Move these scopes to a new generation: every page that depends on one is recomputed."""
    for name in set(names):
        key = GENERATION_PREFIX + name
        try:
            cache.incr(key)
        except ValueError:  # not there yet (or evicted): any fresh value differs from the old ones
            cache.set(key, time.time_ns(), timeout=None)


def page_key(request: HttpRequest, *, scopes: Iterable[str]) -> str:
    """The one key of a cached page: path, whole sorted query, language, htmx and generations."""
    scopes = sorted(set(scopes))
    query = sorted((k, v) for k in request.GET for v in request.GET.getlist(k))
    parts = [
        request.method == "HEAD" and "GET" or request.method,
        request.path,
        repr(query),
        get_language() or "",
        # Development links follow the served host (`core.siteurl`): one page per host there.
        request.get_host() if getattr(settings, "SITE_URL_FROM_REQUEST", False) else "",
        "htmx" if request.headers.get("HX-Request") == "true" else "",
        repr(list(zip(scopes, generations(scopes), strict=True))),
    ]
    return PAGE_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


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


def _shared_headers(response: HttpResponseBase) -> None:
    patch_vary_headers(response, VARY)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_MAX_AGE,
        s_maxage=settings.PAGE_CACHE_S_MAXAGE,
    )


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


def _store(request: HttpRequest, key: str, response: HttpResponse) -> dict[str, Any] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a form token: not shareable
        return None
    entry = {
        "content": response.content,
        "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
        "etag": _etag(response.content),
        "stored": int(time.time()),
    }
    cache.set(key, entry, settings.PAGE_CACHE_TIMEOUT)
    return entry


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
            names = scopes(**kwargs) if callable(scopes) else scopes
            key = page_key(request, scopes=names)
            entry = cache.get(key)
            if entry is None:
                response = view(request, *args, **kwargs)
                entry = _store(request, key, response) if isinstance(response, HttpResponse) else None
                if entry is None:
                    return _private(response)
            response = _from_entry(entry)
            _shared_headers(response)
            conditional = get_conditional_response(
                request, etag=entry["etag"], last_modified=entry["stored"], response=response
            )
            if conditional is not response:  # 304 keeps the validators and caching headers
                _shared_headers(conditional)
            return conditional

        return wrapper

    return decorator
