"""What a visitor sees in Chromium: the timeline, the finding and the discrepancies page pass axe."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.insights.discrepancies import discrepancies_compute
from monitora.insights.models import OfficialChange
from monitora.insights.similarity import rebuild
from monitora.public.tests.browser import assert_no_axe_violations
from monitora.reports.services.snapshot import project_snapshot
from monitora.search.tests.helpers import make_report

pytestmark = [pytest.mark.browser]


def test_timeline_finding_and_discrepancies_page(page, live_url):
    project = ProjectFactory(state="In corso", payments=120000, public_funding=500000)
    project.territories.add(TerritoryFactory(name="Crotone", latitude=39.08, longitude=17.12))
    report = make_report(
        project=project,
        project_snapshot=project_snapshot(project),
        answers={"stato_di_avanzamento": "5", "punti_deboli": "Cantiere abbandonato da mesi"},
        title="Asilo nido fermo",
    )
    make_report(answers={"punti_deboli": "Cantiere abbandonato e recintato"}, title="Palestra ferma")
    project.state, project.payments = "Concluso", 480000
    project.save()
    at = dt.datetime(2025, 1, 15, tzinfo=dt.UTC)
    OfficialChange.objects.create(
        project=project, field="payments", old="120000.00", new="480000.00", recorded_at=at
    )
    OfficialChange.objects.create(
        project=project, field="state", old="In corso", new="Concluso", recorded_at=at
    )
    discrepancies_compute()
    rebuild()

    page.goto(live_url + reverse("public:report_detail", args=[report.pk]))
    timeline = page.get_by_role("region", name="Cosa è successo")
    expect(timeline).to_contain_text("Pagamenti: da 120.000 € al momento del report a 480.000 €")
    expect(timeline).to_contain_text("Stato: In corso → Concluso")
    expect(page.get_by_role("region", name="Dati ufficiali e cittadini non concordano")).to_contain_text(
        "Bloccato per i cittadini, concluso per i dati ufficiali"
    )
    expect(page.get_by_role("region", name="Report simili")).to_contain_text("Palestra ferma")
    assert_no_axe_violations(page)

    page.goto(live_url + reverse("public:project_detail", args=[project.code]))
    # No axe run here: the project map (not this app) has a known nested-interactive finding.
    expect(page.get_by_role("region", name="Cosa è successo")).to_contain_text("Stato: In corso → Concluso")

    page.goto(live_url + reverse("insights:discrepancies"))
    page.get_by_label("Bloccato per i cittadini, concluso per i dati ufficiali").check()
    page.get_by_role("button", name="Filtra").click()
    expect(page.locator(".discrepancy-list")).to_contain_text("Asilo nido fermo")
    assert_no_axe_violations(page)
