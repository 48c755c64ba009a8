"""Issue 15, "Close the loop", end to end in a real Chromium.

A citizen types a town name with an accent, finds a project, signs in and follows it, starts a
report from the new-report search; then a catalogue re-import (the real `import_catalogue`
command on progetti_esteso CSV files) changes the project's payments and state. The follower gets
the e-mail once the tasks have run, the project page's timeline shows the change, and the finding
is on the discrepancies page and in the API.
"""

import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from monitora.accounts.tests.factories import MembershipFactory
from monitora.catalogue.importing.territories import territories_load
from monitora.catalogue.models import Project
from monitora.catalogue.tests.conftest import esteso_row, write_esteso
from monitora.conftest import make_report
from monitora.follows.models import Follow
from monitora.insights.models import Discrepancy, OfficialChange
from monitora.public.tests.browser import log_in
from monitora.questionnaires.validation import clean_answers
from monitora.reports import services
from monitora.reports.models import Report
from monitora.reports.services import report_save_answers
from monitora.teams.tests.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "1FORLI0001"
TITLE = "Ristrutturazione dell'asilo nido Il Girasole"
FORLI = {"COD_REGIONE": "008", "COD_PROVINCIA": "008040", "COD_COMUNE": "008040012"}


def _catalogue_file(folder: Path, name: str, **values: str) -> Path:
    """A progetti_esteso file (the real 199-column header, `;`, quoted) with the project and another."""
    rows = [
        esteso_row(CODE, OC_TITOLO_PROGETTO=TITLE, FINANZ_TOTALE_PUBBLICO="500000,00", **FORLI, **values),
        esteso_row("1CESENA001", OC_TITOLO_PROGETTO="Pista ciclabile di Cesena", COD_COMUNE="008040007"),
    ]
    return write_esteso(folder / name, rows)


def _import(path: Path) -> None:
    call_command("import_catalogue", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def _published_blocked_report(project: Project, editor) -> Report:
    """A team's report on the project, found blocked, published by an editor (the baseline is set)."""
    team = TeamFactory(name="Classe 5A")
    report = make_report(team, project=project, status="in_review", title="Asilo fermo")
    report_save_answers(
        report=report, answers=clean_answers("v2022", {"stato_di_avanzamento": "5"}), replace=False
    )
    report.refresh_from_db()
    services.report_publish(report=report, by=editor, expected_lock_version=report.lock_version)
    return report


def test_find_follow_reimport_then_mail_timeline_and_discrepancy(page, live_url, django_user_model, tmp_path):
    territories_load()
    _import(_catalogue_file(tmp_path, "progetti_esteso_1.csv", TOT_PAGAMENTI="120000,00"))
    project = Project.objects.get(code=CODE)
    assert project.territories.filter(kind="C", name="Forlì").exists()
    editor = django_user_model.objects.create_user(username="ed", email="ed@example.org", is_staff=True)
    report = _published_blocked_report(project, editor)
    citizen = MembershipFactory(team=TeamFactory(name="Classe 4B"), user__email="lucia@example.org").user

    # Sign in, then the home page's project search: the town name, accent and all.
    log_in(page, citizen.email)
    page.goto("/")
    page.fill("#home-q", "Forlì")
    page.get_by_role("button", name="Cerca progetti").click()
    page.wait_for_url("**/progetti/cerca/**")
    expect(page.get_by_role("heading", name="Progetti a Forlì (Comune)")).to_be_visible()
    expect(page.get_by_text("Pista ciclabile di Cesena")).to_have_count(0)

    # Open the project and follow it, one e-mail per event.
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/progetti/{CODE}/")
    page.locator("[data-follow=project] select").select_option("immediate")
    page.locator("[data-follow=project] button", has_text="Segui").click()
    expect(page.get_by_text("Ora segui")).to_be_visible()
    assert Follow.objects.filter(user=citizen, kind="project", target=CODE).exists()

    # Start a new report from the new-report flow's search, the town typed without its accent.
    page.goto("/report/nuovo/")
    page.fill("#id_progetto", "forli")
    page.get_by_role("button", name="Cerca").first.click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Inizia il report").click()
    page.wait_for_url("**/modifica/**")
    assert Report.objects.get(project=project, status="draft").team.name == "Classe 4B"

    # The next catalogue release: more payments, and the project is now concluded.
    mail.outbox.clear()
    later = {"TOT_PAGAMENTI": "480000,00", "OC_STATO_PROGETTO": "Concluso", "DATA_AGGIORNAMENTO": "20250630"}
    _import(_catalogue_file(tmp_path, "progetti_esteso_2.csv", **later))
    changes = set(OfficialChange.objects.filter(project=project).values_list("field", "old", "new"))
    assert changes == {("payments", "120000.00", "480000.00"), ("state", "In corso", "Concluso")}

    # The follower's e-mail names the change (the immediate delivery ran with the tasks).
    mine = [m for m in mail.outbox if citizen.email in m.to]
    official = [m for m in mine if "Dati ufficiali cambiati" in m.subject + m.body]
    assert len(official) == 1, [m.subject for m in mine]
    text = official[0].subject + official[0].body
    assert "480.000 €" in text and "Concluso" in text and "/segui/annulla/" in official[0].body

    # The project page's timeline, as a visitor reads it.
    page.goto(f"/progetti/{CODE}/")
    timeline = page.get_by_role("region", name="Cosa è successo")
    expect(timeline).to_contain_text("Pagamenti: da 120.000 € al momento del report a 480.000 €")
    expect(timeline).to_contain_text("Stato: In corso → Concluso")

    # The finding: on the discrepancies page and in the API.
    finding = Discrepancy.objects.get(report=report)
    assert (finding.rule, finding.basis) == ("blocked_but_concluded", "current")
    page.goto("/discrepanze/")
    findings = page.locator(".discrepancy-list")
    expect(findings).to_contain_text("Asilo fermo")
    expect(findings).to_contain_text("Bloccato per i cittadini, concluso per i dati ufficiali")
    response = page.request.get(live_url + "/api/v1/discrepancies")
    assert response.ok
    [item] = response.json()["results"]
    assert (item["report_id"], item["project_code"]) == (report.pk, CODE)
    assert item["rule"] == "blocked_but_concluded"
    assert item["evidence"]["official"]["state"] == "Concluso"
