"""Shared fixtures. Tests live beside the code they prove (monitora/<app>/tests/)."""

import pytest

# Playwright fixtures (browser, page, live_url) for browser tests in any app.
pytest_plugins = ["monitora.public.tests.browser"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        username="redazione", email="redazione@example.org", password="pw-editor-1", is_staff=True
    )
