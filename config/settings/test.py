"""Test settings: fast hashing, in-memory e-mail. DATABASE_URL still picks the database."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Most tests change data with factories (no change hook), so pages are not cached unless a test
# asks for it (`page_cache` fixture, monitora/public/tests/test_cache.py); PDFs render on demand.
PAGE_CACHE_ENABLED = False
FRAGMENT_CACHE_ENABLED = False
REPORT_PDF_PRERENDER = False

# SQLite: a test database in a file (not in memory), so that tests with parallel writers
# (moderation/tests/test_concurrency.py) get real separate connections that wait on each other
# (WAL + BEGIN IMMEDIATE + busy timeout, set in base.py) instead of failing at once on the
# shared-cache table locks of an in-memory database. One file per test process, in the system
# temp dir; Django deletes it when the run ends.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"monitora-test-{os.getpid()}.sqlite3"),
    }

# Tests make hundreds of requests a minute from one address: throttles that would never trip;
# monitora/core/tests/test_throttle.py sets small limits where it proves them.
THROTTLES = {scope: "100000/m" for scope in THROTTLES}  # noqa: F405
