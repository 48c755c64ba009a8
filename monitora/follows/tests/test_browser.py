"""A citizen in a real Chromium: types a town name, finds a project, follows it, and starts a report
from the search; when a report on it is published, the e-mail arrives (test outbox)."""

import pytest
from django.core import mail

from monitora.accounts.tests.factories import MembershipFactory
from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.conftest import make_report
from monitora.follows.models import Follow
from monitora.public.tests.browser import assert_no_axe_violations, log_in
from monitora.reports import services
from monitora.reports.models import Report
from monitora.teams.tests.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_a_project_by_town_follow_it_and_start_a_report(page, live_url, django_user_model):
    region = TerritoryFactory(kind="R", code="18", name="Calabria", latitude=39.0, longitude=16.5)
    province = TerritoryFactory(
        kind="P", code="101", name="Crotone", parent=region, latitude=39.1, longitude=17.0
    )
    isola = TerritoryFactory(
        kind="C",
        code="101013",
        name="Isola di Capo Rizzuto",
        parent=province,
        latitude=38.96,
        longitude=17.09,
    )
    project = ProjectFactory(code="1ISOLA0001", title="Recupero del castello aragonese di Le Castella")
    project.territories.add(isola)
    ProjectFactory(code="1ALTRO0001", title="Strada provinciale altrove")
    citizen = MembershipFactory(team=TeamFactory(name="Classe 4B"), user__email="lucia@example.org").user
    editor = django_user_model.objects.create_user(username="ed", email="ed@example.org", is_staff=True)

    log_in(page, citizen.email)
    # The home page's project search: a town name, typed in lower case, without capitals.
    page.goto("/")
    page.fill("#home-q", "isola di capo rizzuto")
    page.get_by_role("button", name="Cerca progetti").click()
    page.wait_for_url("**/progetti/cerca/**")
    assert page.get_by_role("heading", name="Progetti a Isola di Capo Rizzuto (Comune)").is_visible()
    assert page.get_by_text("Strada provinciale altrove").count() == 0
    assert_no_axe_violations(page)

    # Open the project and follow it, with immediate e-mails.
    page.get_by_role("link", name="Recupero del castello aragonese di Le Castella").click()
    page.wait_for_url(f"**/progetti/{project.code}/")
    page.locator("[data-follow=project] select").select_option("immediate")
    page.locator("[data-follow=project] button", has_text="Segui").click()
    assert page.get_by_text("Ora segui").is_visible()
    assert Follow.objects.filter(user=citizen, kind="project", target=project.code).exists()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Gestisci ciò che segui").click()
    assert page.get_by_role("cell", name=f"{project.code} · {project.title}", exact=True).is_visible()

    # Start a report from the search: words of a place, pick the project, start.
    page.goto("/report/nuovo/")
    page.fill("#id_progetto", "Isola di Capo Rizzuto")
    page.get_by_role("button", name="Cerca").first.click()
    page.get_by_role("link", name="Recupero del castello aragonese di Le Castella").click()
    page.get_by_role("button", name="Inizia il report").click()
    page.wait_for_url("**/modifica/**")
    draft = Report.objects.get(project=project)
    assert draft.status == "draft"

    # A report on the project is published: the follower gets the e-mail, with an unsubscribe link.
    mail.outbox.clear()
    other = make_report(TeamFactory(), project=project, status="in_review", title="Il castello riapre")
    services.report_publish(report=other, by=editor, expected_lock_version=other.lock_version)
    [message] = [m for m in mail.outbox if citizen.email in m.to]
    assert "Il castello riapre" in message.subject and "/segui/annulla/" in message.body
