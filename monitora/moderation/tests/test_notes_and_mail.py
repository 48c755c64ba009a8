"""The note an editor types on the review page reaches the authors (e-mail) and the audit log, and
what authors and editors read uses the questionnaire's labels and the right links."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from monitora.conftest import make_report
from monitora.reports import services
from monitora.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(roles):
    client = Client()
    client.force_login(roles.editor)
    return client


def _act(client, report, action, note, capture):
    report.refresh_from_db()
    with capture(execute=True):
        response = client.post(
            reverse("moderation:act", args=[report.pk]),
            {"action": action, "note": note, "lock_version": report.lock_version},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(
    ("status", "impact_status", "action", "headline"),
    [
        ("submitted", "not_started", "start_review", "Il report è in revisione"),
        ("in_review", "not_started", "publish", "Report pubblicato"),
        ("published", "submitted", "impact_publish", "Step 3 del report approvato"),
    ],
)
def test_the_editors_note_reaches_the_authors_and_the_audit_page(
    roles, editor_client, django_capture_on_commit_callbacks, status, impact_status, action, headline
):
    report = make_report(roles.team, status=status, impact_status=impact_status)
    note = "Bel lavoro: aggiungete la fonte delle foto.\nGrazie!"
    mail.outbox.clear()
    _act(editor_client, report, action, note, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert set(message.to) == {roles.owner.email, roles.member.email}
    assert headline in message.body
    assert "Nota della redazione:\nBel lavoro: aggiungete la fonte delle foto.\nGrazie!" in message.body
    status_page = reverse("authoring:report_status", args=[report.pk])
    assert f"Apri il report: http://127.0.0.1:8000{status_page}" in message.body

    page = editor_client.get(reverse("moderation:audit_log", args=[report.pk])).content.decode()
    assert "Bel lavoro: aggiungete la fonte delle foto." in page
    assert "note=" not in page and f"{action}" not in page  # sentences, not raw data


def test_audit_log_reads_as_sentences(roles, editor_client, django_capture_on_commit_callbacks):
    report = make_report(roles.team, status="submitted")
    services.comment_add(
        report=report, by=roles.editor, field_key="risultato_progetto", text="Quali risultati?"
    )
    _act(editor_client, report, "request_changes", "Vedi i commenti", django_capture_on_commit_callbacks)
    page = editor_client.get(reverse("moderation:audit_log", args=[report.pk])).content.decode()
    editor = roles.editor.email
    assert "ha chiesto modifiche agli autori (da «In attesa di revisione» a «Modifiche richieste»)" in page
    assert "ha commentato il campo «Risultato del progetto monitorato" in page
    assert editor in page
    assert "risultato_progetto" not in page and "report.request_changes" not in page


def test_request_changes_mail_lists_open_comments_with_labels(
    roles, editor_client, django_capture_on_commit_callbacks
):
    report = make_report(roles.team, status="in_review")
    services.comment_add(
        report=report, by=roles.editor, field_key="risultato_progetto", text="Quali risultati?"
    )
    services.comment_add(report=report, by=roles.editor, field_key="general", text="Manca la fonte.")
    mail.outbox.clear()
    _act(editor_client, report, "request_changes", "", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "- Risultato del progetto monitorato" in message.body and "Quali risultati?" in message.body
    assert "- Osservazioni generali: Manca la fonte." in message.body
    assert "risultato_progetto" not in message.body


def test_new_report_mail_sends_editors_to_the_review_page(roles, django_capture_on_commit_callbacks):
    report = make_report(roles.team)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=roles.owner, expected_lock_version=report.lock_version)
    [message] = mail.outbox
    assert roles.editor.email in message.to
    review = reverse("moderation:review", args=[report.pk])
    assert f"Apri la revisione: http://127.0.0.1:8000{review}" in message.body
    assert reverse("authoring:report_status", args=[report.pk]) not in message.body


def test_comment_picker_and_review_page_show_labels(roles, editor_client):
    report = make_report(roles.team, status="submitted")
    services.comment_add(report=report, by=roles.editor, field_key="gs", text="Giudizio da motivare")
    page = editor_client.get(reverse("moderation:review", args=[report.pk])).content.decode()
    assert '<option value="obiettivi">Obiettivi del progetto monitorato</option>' in page
    assert "<optgroup" in page
    assert "<strong>Giudizio di efficacia (anche potenziale) sul progetto monitorato</strong>" in page
    assert "<code>" not in page and ">obiettivi<" not in page and ">gs<" not in page


def test_revision_notes_reach_the_authors_and_the_log(
    roles, editor_client, django_capture_on_commit_callbacks
):
    report = ReportFactory(team=roles.team, published=True)
    revision = report.revisions.create(
        proposed={"fields": {"title": "Nuovo"}, "answers": {}},
        base_lock_version=report.lock_version,
        created_by=roles.owner,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("moderation:revision_decide", args=[revision.pk]),
            {"decision": "reject", "note": "Il titolo nuovo è fuorviante"},
        )
    [message] = mail.outbox
    assert "Nota della redazione:\nIl titolo nuovo è fuorviante" in message.body
    page = editor_client.get(reverse("moderation:audit_log", args=[report.pk])).content.decode()
    assert "ha respinto una revisione" in page and "Il titolo nuovo è fuorviante" in page
