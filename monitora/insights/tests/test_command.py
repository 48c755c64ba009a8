from io import StringIO

import pytest
from django.core.management import call_command

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.insights.models import Discrepancy, ReportTerm
from monitora.search.tests.helpers import make_report

pytestmark = pytest.mark.django_db


def test_insights_refresh_recomputes_everything():
    project = ProjectFactory(state="Concluso")
    answers = {"stato_di_avanzamento": "5", "punti_deboli": "Cantiere abbandonato"}
    make_report(project=project, answers=answers)
    out = StringIO()
    call_command("insights_refresh", stdout=out)
    assert Discrepancy.objects.filter(rule="blocked_but_concluded").exists()
    assert ReportTerm.objects.exists()
    assert "discrepancies:" in out.getvalue() and "recurring:" in out.getvalue()
