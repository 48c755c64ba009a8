"""JSON errors of the API: every 4xx has a `detail` message a person can read, never a 500."""

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from monitora.reports.services import ConcurrentEditError

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: list[str] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or []


def _location(error: dict) -> str:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path", "payload")]
    return ".".join(loc) or "richiesta"


def _simple_handler(respond, status: int, message: str, use_text: str):
    def handler(request, exc: Exception):
        text = str(exc) if use_text else ""
        if text and use_text == "own":
            return respond(request, status, text)
        return respond(request, status, f"{message}: {text}" if text else message)

    return handler


def install_handlers(api: NinjaAPI) -> None:
    def respond(request, status: int, detail: str, errors: list[str] | None = None):
        return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.detail, exc.errors)

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc: NinjaValidationError):
        errors = [f"{_location(e)}: {e.get('msg', 'valore non valido')}" for e in exc.errors]
        return respond(request, 400, "Richiesta non valida: " + "; ".join(errors), errors)

    @api.exception_handler(ConcurrentEditError)
    def conflict(request, exc: ConcurrentEditError):
        return respond(request, 409, " ".join(exc.messages))

    @api.exception_handler(ValidationError)
    def invalid_domain(request, exc: ValidationError):
        if getattr(exc, "code", None) in ("invalid_transition", "gone"):
            return respond(request, 409, " ".join(exc.messages))
        if hasattr(exc, "error_dict"):
            errors = [f"{key}: {msg}" for key, msgs in exc.message_dict.items() for msg in msgs]
        else:
            errors = list(exc.messages)
        return respond(request, 400, "Dati non validi: " + "; ".join(errors), errors)

    # Exceptions that map to one status and one message (the exception's own text where it has one).
    # A body that cannot be read (multipart without a boundary, a client that hung up) is the
    # client's error; it used to be a 500 with a traceback under DEBUG and an HTML 400 otherwise.
    # ninja adds Retry-After (whole seconds) to the 429.
    # The exception's text: "own" replaces the default message, "prefix" follows it, "" is ignored.
    simple: list[tuple[type[Exception], int, str, str]] = [
        (PermissionDenied, 403, "Operazione non permessa", "own"),
        (AuthenticationError, 401, "Autenticazione richiesta: 'Authorization: Bearer <token personale>'", ""),
        (Http404, 404, "Risorsa non trovata", "own"),
        (SuspiciousOperation, 400, "Richiesta rifiutata", "prefix"),
        (Throttled, 429, "Troppe richieste: riprova tra poco (vedi l'intestazione Retry-After)", ""),
        (MultiPartParserError, 400, "Corpo della richiesta illeggibile", "prefix"),
        (UnreadablePostError, 400, "Corpo della richiesta interrotto o illeggibile", ""),
        (BadRequest, 400, "Richiesta non valida", "own"),
    ]
    for exc_class, status, message, use_text in simple:
        api.add_exception_handler(exc_class, _simple_handler(respond, status, message, use_text))

    # Anything else is our bug: logged with its traceback, answered with the same JSON shape (never
    # a traceback, whatever DEBUG says).
    @api.exception_handler(Exception)
    def unexpected(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, "Errore interno: è stato registrato, riprova più tardi")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return respond(request, exc.status_code, str(exc))


def reject_unknown_params(request, allowed: set[str]) -> None:
    """Allow-listed query strings: a misspelt filter is an error, not a silently ignored one."""
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise ApiError(
            400,
            f"Parametri sconosciuti: {', '.join(unknown)}",
            [f"ammessi: {', '.join(sorted(allowed))}"],
        )
    if any("\x00" in value for _key, values in request.GET.lists() for value in values):
        raise ApiError(400, "Parametri non validi: carattere NUL non ammesso")
    repeated = sorted(key for key in request.GET if len(request.GET.getlist(key)) > 1)
    if repeated:
        raise ApiError(400, f"Parametri ripetuti: {', '.join(repeated)} (indicane uno solo)")
