"""The one throttle of the site: named scopes, limits in settings, counters in the Django cache.

`settings.THROTTLES` maps a scope ("api", "pdf", "opendata", "search", "email", ...) to one or more
rates ("30/m", "10/m,200/h"). Counting is django-ratelimit's fixed windows in the default cache,
so with several app servers the cache must be shared (CACHE_URL; production refuses to start
without it). Over the limit the answer is 429 with `Retry-After` (JSON for the API). allauth's
login, sign-up and reset limits use the same cache; the admin login goes through allauth's
`login_failed` limit (monitora.accounts.admin_login).
"""

import ipaddress
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage


class Throttled(Exception):
    """Raised by `throttle()`; `retry_after` is in whole seconds."""

    def __init__(self, scope: str, retry_after: int):
        super().__init__(scope)
        self.scope, self.retry_after = scope, max(1, retry_after)


def client_key(request: HttpRequest) -> str:
    """The signed-in user, else the client address: IPv6 grouped by /64 (one subscriber), taken
    from RATELIMIT_IP_META_KEY behind a proxy, "unknown" when a server gives none at all."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    raw = request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR", "") or ""
    try:
        address = ipaddress.ip_address(raw.split(",")[-1].strip())
    except ValueError:
        return "ip:unknown"
    if address.version == 6:
        return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False).network_address}"
    return f"ip:{address}"


def rates(scope: str) -> list[str]:
    return [r.strip() for r in (settings.THROTTLES.get(scope) or "").split(",") if r.strip()]


def throttle(request: HttpRequest, scope: str, *, key: str | None = None) -> None:
    """Count one hit of `key` (default: the client) in `scope`; raise Throttled past any rate.

    Every rate is counted even when an earlier one is already exceeded, so a long window cannot
    be dodged by hammering inside a short one."""
    value = key if key is not None else client_key(request)
    waits = []
    for rate in rates(scope):
        usage = get_usage(
            request, group=f"throttle:{scope}", key=lambda _g, _r: value, rate=rate, increment=True
        )
        if usage and usage["should_limit"]:
            waits.append(usage["time_left"])
    if waits:
        raise Throttled(scope, max(waits))


def too_many_requests(request: HttpRequest, exc: Throttled | None = None) -> HttpResponse:
    """The HTML 429 page (also allauth's handler429, which has no scope to tell)."""
    retry_after = exc.retry_after if exc else 60
    response = render(
        request,
        "429.html",
        {
            "retry_after": retry_after,
            "message": _("Troppe richieste in poco tempo. Riprova tra %(s)s secondi.") % {"s": retry_after},
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def throttled(scope: str, *, methods: tuple[str, ...] = ("GET", "HEAD", "POST")) -> Callable:
    """View decorator: count each request of `methods` by the client in `scope`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                try:
                    throttle(request, scope)
                except Throttled as exc:
                    return too_many_requests(request, exc)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
