"""After publication, over HTTP: revisions, Step 3, right of reply."""

import pytest
from django.test import Client

from monitora.conftest import COMPLETE, make_report
from monitora.reports.models import AdministrationResponse, Report, ReportRevision

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_revision_proposed_reviewed_and_applied(roles):
    report = make_report(roles.team, status="published", title="Versione pubblicata")
    member = _client(roles.member)
    data = {
        "title": "Versione rivista",
        **{f"q_{k}": v for k, v in COMPLETE.items()},
        "q_obiettivi": "Nuovi obiettivi",
    }
    assert member.post(f"/report/{report.pk}/revisione/", data).status_code == 302
    revision = ReportRevision.objects.get(report=report)
    assert Client().get(f"/report/{report.pk}/").content.decode().count("Versione rivista") == 0
    editor = _client(roles.editor)
    review = editor.get(f"/redazione/report/{report.pk}/").content.decode()
    assert "Nuovi obiettivi" in review
    stale = report.lock_version + 1
    editor.post(f"/redazione/revisione/{revision.pk}/", {"decision": "approve", "lock_version": stale})
    assert Report.objects.get(pk=report.pk).title == "Versione pubblicata"
    # The stale click also left the revision open: it is still pending and can be approved.
    revision.refresh_from_db()
    assert revision.status == "pending"
    editor.post(
        f"/redazione/revisione/{revision.pk}/", {"decision": "approve", "lock_version": report.lock_version}
    )
    assert "Versione rivista" in Client().get(f"/report/{report.pk}/").content.decode()
    assert member.post(f"/redazione/revisione/{revision.pk}/", {"decision": "approve"}).status_code == 403


def test_revision_with_incomplete_answers_shows_errors(roles):
    report = make_report(roles.team, status="published")
    resp = _client(roles.member).post(f"/report/{report.pk}/revisione/", {"title": "X", "q_obiettivi": ""})
    assert resp.status_code == 400 and "risposta obbligatoria" in resp.content.decode()
    assert not ReportRevision.objects.exists()


def test_step3_over_http(roles):
    report = make_report(roles.team, status="published")
    member = _client(roles.member)
    resp = member.post(
        f"/report/{report.pk}/impatto/",
        {
            "lock_version": report.lock_version,
            "q_impact_description": "Lavori ripartiti",
            "q_media_connection": "on",
            "invia": "1",
        },
    )
    assert resp.status_code == 302
    report.refresh_from_db()
    assert report.impact_status == "submitted"
    assert member.get(f"/report/{report.pk}/impatto/").status_code == 403  # locked while in review
    editor = _client(roles.editor)
    editor.post(
        f"/redazione/report/{report.pk}/azione/",
        {"action": "impact_publish", "lock_version": report.lock_version},
    )
    assert "Lavori ripartiti" in Client().get(f"/report/{report.pk}/").content.decode()


def test_right_of_reply_is_shown_with_its_date(roles):
    report = make_report(roles.team, status="published")
    editor = _client(roles.editor)
    editor.post(
        "/redazione/rappresentanti/",
        {"email": roles.registered.email, "administration_name": "Comune di Matera"},
    )
    representative = _client(roles.registered)
    representative.post(f"/report/{report.pk}/risposta/", {"text": "I lavori riprendono a maggio."})
    response = AdministrationResponse.objects.get(report=report)
    page = Client().get(f"/report/{report.pk}/").content.decode()
    assert "Comune di Matera" in page and "I lavori riprendono a maggio." in page
    assert (
        f'datetime="{response.created_at.isoformat()}"' in page or response.created_at.strftime("%Y") in page
    )
    # A plain member cannot answer; an editor can hide.
    assert _client(roles.member).post(f"/report/{report.pk}/risposta/", {"text": "x"}).status_code == 403
    editor.post(f"/redazione/risposte/{response.pk}/nascondi/")
    assert "I lavori riprendono" not in Client().get(f"/report/{report.pk}/").content.decode()
    assert (
        _client(roles.member)
        .post("/redazione/rappresentanti/", {"email": "x", "administration_name": "y"})
        .status_code
        == 403
    )
