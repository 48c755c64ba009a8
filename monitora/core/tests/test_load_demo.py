from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from monitora.catalogue.models import Project
from monitora.core.models import AuditLog
from monitora.reports.models import Answer, Report, ReportLink, ReportSource
from monitora.teams.models import Team

pytestmark = pytest.mark.django_db

MODELS = (Report, Answer, ReportLink, Team, Project, AuditLog)


def snapshot() -> dict:
    return {
        "counts": [m.objects.count() for m in MODELS],
        "reports": list(Report.objects.order_by("pk").values_list("pk", "lock_version", "updated_at")),
        "teams": list(Team.objects.order_by("pk").values_list("pk", "updated_at")),
        "projects": list(Project.objects.order_by("pk").values_list("pk", "updated_at")),
    }


def test_load_demo_loads_the_example_and_the_legacy_sample_once():
    call_command("load_demo", stdout=StringIO())
    assert Report.objects.published().filter(source=ReportSource.TEXT).count() == 1
    assert Report.objects.published().filter(source=ReportSource.LEGACY_CSV).count() == 59
    first = snapshot()

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == first
    assert "0 report creati, 0 aggiornati, 59 invariati" in out.getvalue()


def test_demo_example_report_page_shows_every_section(client):
    call_command("load_demo", stdout=StringIO())
    report = Report.objects.get(source=ReportSource.TEXT)
    page = client.get(reverse("public:report_detail", args=[report.pk])).content.decode()
    for heading in ("Descrizione", "Cosa abbiamo scoperto", "Metodo di indagine"):
        assert f">{heading}</h2>" in page
    # Nested one level below their section, as the questionnaire groups them (issue 13).
    for heading in (
        "Avanzamento",
        "Risultati",
        "Punti di debolezza",
        "Punti di forza",
        "Rischi",
        "Soluzioni e Idee",
        "Domande principali",
        "Risposte principali",
    ):
        assert f">{heading}</h3>" in page
    assert "Le persone intervistate sono state:" in page and "@Doest18" in page
