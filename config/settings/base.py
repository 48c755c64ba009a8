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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
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
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Monitora <redazione@localhost>")

# Map tiles (any XYZ server); the map draws regions and reports from shipped data without them.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# Public base URL used in exports, feeds and e-mails (no trailing slash).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Hosts whose images may be embedded in report PDFs (fetched server-side; everything else is linked).
PDF_IMAGE_HOSTS = env.list(
    "PDF_IMAGE_HOSTS", default=["www.ascuoladiopencoesione.it", "files.ascuoladiopencoesione.it"]
)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
