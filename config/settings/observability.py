"""Request logs (JSON in production), Sentry error reports, the health endpoint's checks.

Every request is logged once by `monitora.core.requestlog.RequestLogMiddleware` on the logger
`monitora.request` with its request id (the `X-Request-ID` the proxy sent, or a new one, echoed in
the response), the user's numeric id (never the e-mail), status and duration. Other log lines
written during the request carry the same request id.
"""

from config.env import env

LOG_LEVEL = env("LOG_LEVEL", default="WARNING")
# "json" (one object a line, for a log collector) or "text" (for a terminal).
LOG_FORMAT = env("LOG_FORMAT", default="text")
# The request log is INFO: on by default, off with REQUEST_LOG_LEVEL=WARNING.
REQUEST_LOG_LEVEL = env("REQUEST_LOG_LEVEL", default="INFO")


def logging_config(*, fmt: str, level: str, request_level: str) -> dict:
    formatters = {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "monitora.core.requestlog.RequestIdFilter"}},
        "formatters": formatters,
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "monitora.request": {"level": request_level},
            # Django logs every task start and finish at INFO in DEBUG: one line per reindex drowns
            # command output (kept from main's base.py, feb66ff).
            "django.tasks": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(fmt=LOG_FORMAT, level=LOG_LEVEL, request_level=REQUEST_LOG_LEVEL)

# Checks of GET /health/ (django-health-check): the database, the shared cache and both file
# storages, each with a real round trip. A load balancer takes a server out when it answers 500.
HEALTH_CHECKS = [
    "health_check.checks.Database",
    "health_check.checks.Cache",
    ("health_check.checks.Storage", {"alias": "default"}),
    ("health_check.checks.Storage", {"alias": "attachments"}),
]

# Sentry: on only when SENTRY_DSN is set. No personal data: no e-mail, IP address, cookies or
# request bodies leave the server; events carry the user id only (monitora.core.observability).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from monitora.core.observability import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
