"""The index follows the catalogue by itself: a re-import that changes a project's theme moves the
theme facet of the reports on it, with no reindex command (issue 11, point 2)."""

import pytest

from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.models import Project
from monitora.search.filters import html_filters
from monitora.search.selectors import report_search
from monitora.search.tests.helpers import make_report

from .conftest import esteso_row

pytestmark = pytest.mark.django_db


def _theme_counts() -> dict[str, int]:
    facets = report_search(html_filters({})).facets
    return {v.value: v.count for f in facets if f.key == "tema" for v in f.values}


def test_reimport_moves_the_theme_facet_of_the_reports_on_the_project(
    territories, esteso_file, django_capture_on_commit_callbacks
):
    rows = [esteso_row("C1"), esteso_row("C2")]
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_import(paths=[esteso_file(rows, "first.csv")])
    make_report(project=Project.objects.get(code="C1"))
    make_report(project=Project.objects.get(code="C2"))
    assert _theme_counts() == {"09": 2}
    assert report_search(html_filters({"tema": ["11"]})).total == 0

    rows[0] = esteso_row("C1", OC_COD_TEMA_SINTETICO="11", OC_TEMA_SINTETICO="Istruzione e formazione")
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_import(paths=[esteso_file(rows, "second.csv")])

    assert _theme_counts() == {"09": 1, "11": 1}
    moved = report_search(html_filters({"tema": ["11"]}))
    moved_ids = [d.report_id for d in moved.items]
    assert [p.code for p in Project.objects.filter(reports__pk__in=moved_ids)] == ["C1"]
    assert moved.items[0].theme_name == "Istruzione e formazione"
