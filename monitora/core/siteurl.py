"""The site's own base URL for links that leave the page: e-mails, feeds, the API, the CSVs.

In production it is `SITE_URL`, fixed by the operator. In development (`SITE_URL_FROM_REQUEST`,
on in `config/settings/local.py`) it is the scheme, host and port the request actually came to,
so `make run PORT=8001` or a LAN address produces links that work without touching `SITE_URL`.
The middleware records it for the request; e-mails queued on commit run inside the request in
development (the immediate task backend), and streamed exports keep it while they stream.
"""

from collections.abc import Callable, Iterator
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_served: ContextVar[str] = ContextVar("monitora_served_base_url", default="")


def site_url() -> str:
    """Base URL without a trailing slash."""
    if getattr(settings, "SITE_URL_FROM_REQUEST", False):
        served = _served.get()
        if served:
            return served
    return settings.SITE_URL.rstrip("/")


def served_base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _streamed(content: Iterator, base: str) -> Iterator:
    token = _served.set(base)
    try:
        yield from content
    finally:
        _served.reset(token)


class ServedHostMiddleware:
    """Record the served base URL for `site_url()` (development only; a no-op otherwise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not getattr(settings, "SITE_URL_FROM_REQUEST", False):
            return self.get_response(request)
        base = served_base_url(request)
        token = _served.set(base)
        try:
            response = self.get_response(request)
        finally:
            _served.reset(token)
        if response.streaming:
            response.streaming_content = _streamed(response.streaming_content, base)
        return response
