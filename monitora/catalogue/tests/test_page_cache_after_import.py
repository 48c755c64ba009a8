"""A catalogue re-import shows on the next anonymous visit of the cached public pages (issue 14)."""

import pytest
from django.urls import reverse

from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.models import Project
from monitora.search.tests.helpers import make_report

from .conftest import esteso_row

pytestmark = pytest.mark.django_db


def test_reimport_refreshes_project_and_project_search_pages(
    client, page_cache, territories, esteso_file, django_capture_on_commit_callbacks
):
    rows = [esteso_row("C1", OC_TITOLO_PROGETTO="Scuola Verdi: primo lotto")]
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_import(paths=[esteso_file(rows, "first.csv")])
    make_report(project=Project.objects.get(code="C1"))  # the project page lists it
    pages = [reverse("public:project_detail", args=["C1"]), reverse("catalogue:search") + "?q=scuola"]
    for url in pages:
        assert "primo lotto" in client.get(url).text, url

    rows[0] = esteso_row("C1", OC_TITOLO_PROGETTO="Scuola Verdi: secondo lotto")
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_import(paths=[esteso_file(rows, "second.csv")])
    for url in pages:
        html = client.get(url).text
        assert "secondo lotto" in html and "primo lotto" not in html, url
