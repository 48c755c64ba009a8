"""The text export stays in reports (the importers that read it back live in `monitora.imports`)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from monitora.reports.selectors import REPORT_BANNER
from monitora.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_export_prints_banner_title_and_meta_line_of_a_published_report():
    report = ReportFactory(
        published=True, title="Scuola di via Roma", author_name="Classe 4B", handle="team4b"
    )
    out = StringIO()
    call_command("export_report_text", str(report.pk), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:2] == [REPORT_BANNER, "Scuola di via Roma"]
    assert lines[3] == "Inviato il 01/03/2024 | Di Classe 4B | @team4b"


def test_export_refuses_a_report_that_is_not_published():
    report = ReportFactory()
    with pytest.raises(CommandError, match="non è pubblicato"):
        call_command("export_report_text", str(report.pk))
