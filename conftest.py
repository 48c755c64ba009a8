"""Shared fixtures. Tests live beside the code they prove (monitora/<app>/tests/)."""

import pytest
from django.core.cache import cache

from monitora.core.pagecache import forget_local

# Playwright fixtures (browser, page, live_url) for browser tests in any app.
pytest_plugins = ["monitora.public.tests.browser"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        username="redazione", email="redazione@example.org", password="pw-editor-1", is_staff=True
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (pages, generations, counters) whatever CACHE_URL is."""
    cache.clear()
    forget_local()
    yield


@pytest.fixture
def page_cache(settings):
    """Turn the public page cache on (it is off in tests that change data through factories)."""
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True
    return cache
