"""Settings of bench/pages.py: production, plus a hello-world view to compare the pages with."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
