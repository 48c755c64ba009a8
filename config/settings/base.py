"""Settings shared by every environment. Secrets and hosts come from the environment."""

from config.env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # `runserver` leaves static files to WhiteNoise, as production does: Django's development
    # static handler answered `/static/../x` with a 500 (SuspiciousFileOperation).
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "ninja",  # serves the Swagger UI of /api/v1/docs from static files, not a CDN
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "health_check",
    "monitora.core",
    "monitora.catalogue",
    "monitora.questionnaires",
    "monitora.teams",
    "monitora.reports",
    "monitora.accounts",
    "monitora.moderation",
    "monitora.api",
    "monitora.opendata",
    "monitora.search",
    "monitora.stats",
    "monitora.authoring",
    "monitora.public",
    "monitora.attachments",
    "monitora.imports",
    "monitora.insights",
    # After search: on report_changed the index is refreshed before followers are matched.
    "monitora.follows",
]

MIDDLEWARE = [
    # First, so that its timing and request id cover everything below it.
    "monitora.core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "monitora.core.siteurl.ServedHostMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL chooses the database; the embedded default is an SQLite file.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DB_PREPARED_STATEMENTS", default=True
):
    # Parameters bound by the server, and a statement run 5 times on a connection is prepared:
    # PostgreSQL stops planning the same page queries again (~0.3 ms each; docs/benchmarks.md).
    # DB_PREPARED_STATEMENTS=false behind a pooler that cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"server_side_binding": True, "prepare_threshold": 5})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (search index refresh, e-mail) is queued on commit as Django tasks. The
# immediate backend runs a task as soon as it is enqueued (development, tests); production
# stores tasks in the database and `manage.py db_worker` runs them (docs/deployment.md).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}
# Public pages for anonymous visitors (monitora.core.pagecache, docs/configuration.md "Page cache"):
# kept server-side until the data they show changes (or PAGE_CACHE_TIMEOUT seconds), and marked
# cacheable by browsers (max-age) and shared caches such as a CDN (s-maxage) for a short while.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=3600)
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)
PAGE_CACHE_S_MAXAGE = env.int("PAGE_CACHE_S_MAXAGE", default=120)
# Each process keeps its recent pages in memory and re-reads the generations from CACHE_URL at most
# this often (seconds, 0 = on every request): how long other app servers may lag behind a change.
PAGE_CACHE_LOCAL_SECONDS = env.float("PAGE_CACHE_LOCAL_SECONDS", default=1.0)
PAGE_CACHE_LOCAL_ENTRIES = env.int("PAGE_CACHE_LOCAL_ENTRIES", default=300)
# The costly part of a public page (the report page's body) kept per version of what it shows, so
# that a page-cache miss renders only the page around it (monitora.core.fragments).
FRAGMENT_CACHE_ENABLED = env.bool("FRAGMENT_CACHE_ENABLED", default=True)
# Report PDFs are rendered once per version by a task when a report changes (else on first request).
REPORT_PDF_PRERENDER = env.bool("REPORT_PDF_PRERENDER", default=True)
# Open data: the whole files are written by `export_opendata --publish` (scheduled); a filtered
# download is streamed live and refused above this many reports (docs/open-data.md).
OPENDATA_LIVE_MAX_ROWS = env.int("OPENDATA_LIVE_MAX_ROWS", default=5000)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Front-end packages installed by `npm ci` (make setup) are served as static/vendor/<package>/.
NPM_STATIC_DIRS = {
    "htmx.org": "dist",
    "leaflet": "dist",
    "leaflet.markercluster": "dist",
    "chart.js": "dist",
}
STATICFILES_DIRS = [
    BASE_DIR / "static",
    *((f"vendor/{name}", BASE_DIR / "node_modules" / name / sub) for name, sub in NPM_STATIC_DIRS.items()),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Report attachments live in their own storage, outside MEDIA_ROOT, and are only ever served
# through a permission-checked view (monitora.attachments.views). base_url=None: no public URL.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Upload limits (docs/uploads.md). Every file is checked by content; these are the sizes.
ATTACHMENT_MAX_SIZE = env.int("ATTACHMENT_MAX_SIZE_MB", default=8) * 1024 * 1024
ATTACHMENT_MAX_IMAGE_PIXELS = env.int("ATTACHMENT_MAX_IMAGE_MEGAPIXELS", default=40) * 1_000_000
ATTACHMENT_IMAGE_MAX_SIDE = env.int("ATTACHMENT_IMAGE_MAX_SIDE", default=4096)
ATTACHMENT_MAX_PER_REPORT = env.int("ATTACHMENT_MAX_PER_REPORT", default=30)

from config.settings.accounts import *  # noqa: E402, F403  (allauth: sign-up, login, throttling)
from config.settings.throttles import *  # noqa: E402, F403  (throttles of the API, PDFs, search, e-mail)

# E-mail goes to the console unless SMTP is configured (EMAIL_HOST set).
if env("EMAIL_HOST", default=""):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": env.int("EMAIL_PORT", default=587),
                "username": env("EMAIL_HOST_USER", default=""),
                "password": env("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    # Printed decoded (no quoted-printable wrapping), so links can be copied from the terminal.
    MAILERS = {"default": {"BACKEND": "monitora.core.mailconsole.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Monitora <redazione@localhost>")
# The privacy notice (/privacy/) names who runs the site and where to write about personal data
# (empty: the address of DEFAULT_FROM_EMAIL).
PRIVACY_CONTROLLER = env("PRIVACY_CONTROLLER", default="")
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="")

# Map tiles (any XYZ server); the map draws regions and reports from shipped data without them.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# Public base URL used in exports, feeds and e-mails (no trailing slash).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Development: links in e-mails, feeds, the API and the CSVs follow the host and port actually
# served (monitora/core/siteurl.py); production keeps SITE_URL.
SITE_URL_FROM_REQUEST = env.bool("SITE_URL_FROM_REQUEST", default=False)

# Hosts whose images may be embedded in report PDFs (fetched server-side; everything else is linked).
PDF_IMAGE_HOSTS = env.list(
    "PDF_IMAGE_HOSTS", default=["www.ascuoladiopencoesione.it", "files.ascuoladiopencoesione.it"]
)

# Security headers and cookies (config/settings/headers.py, docs/security.md).
from config.settings.headers import *  # noqa: E402, F403
from config.settings.headers import content_security_policy  # noqa: E402

SECURE_CSP = content_security_policy(tile_url=MAP_TILE_URL)

# Request logs, Sentry and the health endpoint (config/settings/observability.py, docs/operations.md).
from config.settings.observability import *  # noqa: E402, F403
