"""One structured log line per request, with a request id that follows the request everywhere.

The id comes from the proxy's `X-Request-ID` when it is a sane token (so a line in the proxy's
log and one here can be matched), otherwise a new one is made; the response echoes it. The user is
logged by numeric id only: e-mail addresses are personal data and stay out of logs.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_request_id: ContextVar[str] = ContextVar("request_id", default="-")
logger = logging.getLogger("monitora.request")


def current_request_id() -> str:
    """The id of the request being served on this thread ("-" outside a request)."""
    return _request_id.get()


def incoming_request_id(value: str | None) -> str:
    """The proxy's id if it looks like one (no spaces, quotes or control characters), else a new one."""
    if value and _VALID_ID.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record, so any formatter may print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except Exception:
            # Django turns exceptions into 500 responses inside get_response; this is a last resort.
            self._log(request, status=500, started=started)
            raise
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        self._log(request, status=response.status_code, started=started, request_id=request_id)
        return response

    def _log(self, request: HttpRequest, *, status: int, started: float, request_id: str = "") -> None:
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        # WARNING, not ERROR, for a 5xx: django.request already logs the error with its traceback,
        # and Sentry would count an ERROR line here as a second event.
        level = logging.WARNING if status >= 500 else logging.INFO
        logger.log(
            level,
            "%s %s %s %.1fms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "request_id": request_id or getattr(request, "request_id", "-"),
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )
