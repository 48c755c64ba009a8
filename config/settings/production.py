"""Production: several stateless app servers behind a proxy, PostgreSQL, S3-compatible files."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, LOG_LEVEL, PRIVATE_MEDIA_ROOT, REQUEST_LOG_LEVEL, env, logging_config

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every cookie is Secure (HTTPS only); HttpOnly and SameSite come from headers.py.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
# Off by default: subdomains may serve plain HTTP, and preload lists are hard to leave.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)

# Keep each worker's database connection between requests (checked before reuse): opening one
# per request cost more than the whole render of a cached-fragment page (docs/benchmarks.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Login limits and throttles count in the default cache. A per-process cache (locmem, dummy)
# would let each app server and worker count on its own: refuse to start rather than guard
# nothing. CACHE_URL=redis://... or dbcache://table; SINGLE_PROCESS_CACHE_OK=1 only for a
# deliberately single-process deployment.
_PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if CACHES["default"]["BACKEND"] in _PER_PROCESS_CACHES and not env.bool(
    "SINGLE_PROCESS_CACHE_OK", default=False
):
    raise ImproperlyConfigured(
        "CACHE_URL must name a cache shared by every process (redis://... or dbcache://...): login "
        "limits and throttles are counted there. Set SINGLE_PROCESS_CACHE_OK=1 to run one process anyway."
    )

# One JSON object per log line, for the log collector (LOG_FORMAT=text for a terminal).
LOGGING = logging_config(
    fmt=env("LOG_FORMAT", default="json"), level=LOG_LEVEL, request_level=REQUEST_LOG_LEVEL
)

# Tasks wait in the database until `manage.py db_worker` (a separate process) runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Files: local directories by default (one server), an S3-compatible bucket when
# AWS_STORAGE_BUCKET_NAME is set (several app servers). docs/configuration.md lists the variables.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # Empty values mean "not set": boto3 then uses its own chain (instance role, ~/.aws, ...).
    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
        "region_name": env("S3_REGION_NAME", default="") or None,
        "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env("S3_ADDRESSING_STYLE", default="") or None,
        "file_overwrite": False,
    }
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3, "location": "media", "querystring_auth": True},
        },
        # The bucket stays private (no ACLs, public access blocked): Monitora streams attachments
        # through a view that checks permissions and signs every other URL it hands out.
        "attachments": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3, "location": "attachments", "querystring_auth": True},
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
