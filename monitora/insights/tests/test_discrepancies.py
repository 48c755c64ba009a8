"""Discrepancies computed from real reports, dismissed by editors, listed on every channel."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from monitora.core.models import AuditLog
from monitora.insights.discrepancies import discrepancies_compute, discrepancy_dismiss
from monitora.insights.models import Discrepancy
from monitora.insights.signals import discrepancies_found
from monitora.insights.tests.factories import blocked_report
from monitora.reports.changes import reports_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocked(db):
    return blocked_report()


def test_compute_finds_the_rule_on_current_data_and_announces_it(blocked, django_capture_on_commit_callbacks):
    received = []
    discrepancies_found.connect(lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            counts = discrepancies_compute(project_ids=[blocked.project_id])
    finally:
        discrepancies_found.disconnect(dispatch_uid="t")
    found = Discrepancy.objects.get()
    assert (found.rule, found.basis, found.report_id) == ("blocked_but_concluded", "current", blocked.pk)
    assert found.evidence["official"]["state"] == "Concluso"
    assert counts["new"] == 1
    assert received[0]["discrepancy_ids"] == [found.pk]


def test_a_finding_that_no_longer_holds_is_resolved_and_not_duplicated(blocked):
    discrepancies_compute()
    discrepancies_compute()
    assert Discrepancy.objects.count() == 1
    blocked.project.state = "In corso"
    blocked.project.save()
    counts = discrepancies_compute()
    assert counts["resolved"] == 1
    assert not Discrepancy.objects.public().exists()


def test_publishing_computes_the_report_discrepancies(blocked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reports_changed([blocked.pk], reason="report.publish")
    assert Discrepancy.objects.filter(report=blocked, rule="blocked_but_concluded").exists()


def test_an_editor_dismisses_a_false_positive_with_a_reason_and_it_stays_dismissed(blocked, editor):
    discrepancies_compute()
    found = Discrepancy.objects.get()
    with pytest.raises(ValidationError):
        discrepancy_dismiss(discrepancy=found, by=editor, reason="  ")
    discrepancy_dismiss(discrepancy=found, by=editor, reason="Il cantiere visitato era un altro lotto")
    entry = AuditLog.objects.get(action="discrepancy.dismissed")
    assert entry.actor == editor and entry.data["reason"] == "Il cantiere visitato era un altro lotto"
    discrepancies_compute()  # a later run does not bring it back
    found.refresh_from_db()
    assert found.dismissed_at and not Discrepancy.objects.public().exists()


def test_a_citizen_cannot_dismiss(blocked, django_user_model):
    discrepancies_compute()
    citizen = django_user_model.objects.create_user(username="c", password="pw-citizen-1")
    with pytest.raises(PermissionDenied):
        discrepancy_dismiss(discrepancy=Discrepancy.objects.get(), by=citizen, reason="no")


def test_dismiss_view_refuses_citizens_and_accepts_editors(client, blocked, editor, django_user_model):
    discrepancies_compute()
    found = Discrepancy.objects.get()
    url = reverse("insights:dismiss", args=[found.pk])
    citizen = django_user_model.objects.create_user(username="c", password="pw-citizen-1")
    client.force_login(citizen)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(editor)
    assert client.post(url, {"reason": "Falso positivo"}).status_code == 302
    found.refresh_from_db()
    assert found.dismissal_reason == "Falso positivo"


def test_report_page_shows_the_finding_and_the_form_only_to_editors(client, blocked, editor):
    discrepancies_compute()
    url = reverse("public:report_detail", args=[blocked.pk])
    html = client.get(url).content.decode()
    assert "Bloccato per i cittadini, concluso per i dati ufficiali" in html
    assert "Stato: Concluso" in html
    assert "Archivia come falso positivo" not in html
    client.force_login(editor)
    assert "Archivia come falso positivo" in client.get(url).content.decode()


def test_public_page_filters_by_rule_region_and_theme(client, blocked):
    discrepancies_compute()
    url = reverse("insights:discrepancies")
    assert "Asilo bloccato" in client.get(url).content.decode()
    both = {"regola": "blocked_but_concluded", "tema": "09"}
    assert "Asilo bloccato" in client.get(url, both).content.decode()
    assert "Asilo bloccato" not in client.get(url, {"regola": "far_from_places"}).content.decode()
    assert "Asilo bloccato" not in client.get(url, {"tema": "11"}).content.decode()
    assert client.get(url, {"regione": "xx"}).status_code == 400


def test_api_lists_discrepancies_with_rules_and_filters(client, blocked):
    discrepancies_compute()
    data = client.get("/api/v1/discrepancies").json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["rule"] == "blocked_but_concluded" and item["report_id"] == blocked.pk
    assert item["evidence"]["official"]["state"] == "Concluso"
    assert {r["code"] for r in data["rules"]} >= {"far_from_places", "payments_stalled"}
    assert client.get("/api/v1/discrepancies", {"rule": "far_from_places"}).json()["count"] == 0
    assert client.get("/api/v1/discrepancies", {"rule": "nope"}).status_code in (400, 422)
    assert client.get("/api/v1/discrepancies", {"colour": "red"}).status_code == 400
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/discrepancies" in schema["paths"]


def test_open_data_resource_and_statistics_count(client, blocked):
    discrepancies_compute()
    response = client.get("/open-data/discrepancies.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0]["rule"] == "blocked_but_concluded" and rows[0]["official_state"] == "Concluso"
    names = [r["name"] for r in client.get("/open-data/datapackage.json").json()["resources"]]
    assert "discrepancies" in names and "discrepancies-json" in names
    html = client.get(reverse("stats:statistics")).content.decode()
    assert "Discrepanze tra cittadini e dati ufficiali" in html
    assert "regola=blocked_but_concluded" in html


def test_admin_lists_findings_and_changes_read_only(admin_client, blocked):
    discrepancies_compute()
    assert admin_client.get(reverse("admin:insights_discrepancy_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:insights_officialchange_changelist")).status_code == 200
    found = Discrepancy.objects.get()
    page = admin_client.get(reverse("admin:insights_discrepancy_change", args=[found.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
