"""Every page links the shipped icon, and /favicon.ico (asked by browsers regardless) is no 404."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_pages_link_the_favicon_and_favicon_ico_redirects_to_it(client):
    icon = static("favicon.svg")
    assert finders.find("favicon.svg")
    assert f'<link rel="icon" href="{icon}"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == icon
    served = client.get(icon)
    assert served.status_code == 200 and b"<svg" in b"".join(served.streaming_content)
    served.close()


def test_the_url_configuration_loads_before_collectstatic(tmp_path, settings):
    """A fresh deployment runs `migrate` (whose checks import the URLs) before `collectstatic`:
    with the production manifest storage and no manifest yet, loading the URLs must not fail."""
    import importlib

    import config.urls

    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    importlib.reload(config.urls)  # raised "Missing staticfiles manifest entry for 'favicon.svg'"
