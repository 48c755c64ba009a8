import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from monitora.accounts.services import representative_verify
from monitora.conftest import make_report
from monitora.core.models import AuditLog
from monitora.reports import services
from monitora.reports.models import Report, ReportRevision, ReviewComment

pytestmark = pytest.mark.django_db


def _reload(report):
    return Report.objects.get(pk=report.pk)


def test_full_workflow_with_audit_and_mail(roles, project, django_capture_on_commit_callbacks):
    report = make_report(roles.team, project=project)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=roles.member, expected_lock_version=report.lock_version)
    assert report.status == "submitted" and report.submitted_at
    assert set(mail.outbox[-1].to) == {roles.editor.email, roles.admin.email}
    services.report_start_review(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request_changes(
            report=report, by=roles.editor, expected_lock_version=report.lock_version, message="Aggiungi foto"
        )
    assert "Aggiungi foto" in mail.outbox[-1].body
    assert set(mail.outbox[-1].to) == {roles.owner.email, roles.member.email}
    services.report_submit(report=report, by=roles.owner, expected_lock_version=report.lock_version)
    services.report_publish(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    stored = _reload(report)
    assert stored.status == "published" and stored.published_at
    # The official data are frozen at publication.
    assert stored.project_snapshot["code"] == project.code
    assert stored.project_snapshot["territories"][0]["name"] == "Matera"
    log = list(AuditLog.objects.filter(object_id=str(report.pk), action__startswith="report.").order_by("id"))
    transitions = [
        (e.action, e.data.get("from"), e.data.get("to"), e.actor_id) for e in log if "to" in e.data
    ]
    assert transitions == [
        ("report.submit", "draft", "submitted", roles.member.pk),
        ("report.start_review", "submitted", "in_review", roles.editor.pk),
        ("report.request_changes", "in_review", "changes_requested", roles.editor.pk),
        ("report.submit", "changes_requested", "submitted", roles.owner.pk),
        ("report.publish", "submitted", "published", roles.editor.pk),
    ]


def test_mail_is_not_sent_when_the_transaction_rolls_back(roles, django_capture_on_commit_callbacks):
    report = make_report(roles.team)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.report_submit(report=report, by=roles.member, expected_lock_version=report.lock_version)
    # Two on-commit callbacks, the change hook and the queued e-mail: nothing is sent before commit.
    assert len(callbacks) == 2 and mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("service", "status"),
    [
        (services.report_publish, "draft"),
        (services.report_publish, "rejected"),
        (services.report_publish, "published"),
        (services.report_request_changes, "changes_requested"),
        (services.report_start_review, "in_review"),
        (services.report_reject, "draft"),
    ],
)
def test_transition_from_wrong_state_is_a_clear_error(roles, service, status):
    report = make_report(roles.team, status=status)
    with pytest.raises(ValidationError, match="Operazione non ammessa: lo stato è"):
        service(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    assert _reload(report).status == status
    assert not AuditLog.objects.filter(
        object_id=str(report.pk), action=service.__name__.replace("_", ".", 1)
    ).exists()


def test_submit_requires_complete_answers(roles):
    report = make_report(roles.team, complete=False)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, by=roles.member, expected_lock_version=report.lock_version)
    assert set(exc.value.message_dict) == {"obiettivi", "stato_di_avanzamento", "avanzamento"}
    assert _reload(report).status == "draft"


def test_stale_lock_version_changes_nothing(roles):
    report = make_report(roles.team, status="in_review")
    with pytest.raises(services.ConcurrentEditError, match="modificato da qualcun altro"):
        services.report_publish(
            report=report, by=roles.editor, expected_lock_version=report.lock_version - 1 or 99
        )
    assert _reload(report).status == "in_review"


def test_second_click_on_publish_has_no_effect(roles):
    report = make_report(roles.team, status="in_review")
    stale = Report.objects.get(pk=report.pk)
    services.report_publish(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    with pytest.raises(services.ConcurrentEditError, match="Pubblicato"):
        services.report_publish(report=stale, by=roles.editor, expected_lock_version=stale.lock_version)
    assert AuditLog.objects.filter(object_id=str(report.pk), action="report.publish").count() == 1


def test_editor_of_the_same_team_cannot_publish(roles):
    report = make_report(roles.team, status="in_review")
    roles.member.is_staff = True
    roles.member.save()
    with pytest.raises(PermissionDenied):
        services.report_publish(report=report, by=roles.member, expected_lock_version=report.lock_version)


def test_impact_step_is_reviewed_on_its_own(roles):
    from monitora.reports.services import impact_save

    report = make_report(roles.team, status="draft")
    with pytest.raises(PermissionDenied):
        impact_save(report=report, by=roles.member, raw_answers={}, expected_lock_version=report.lock_version)
    report = make_report(roles.team, status="published")
    impact_save(
        report=report,
        by=roles.member,
        raw_answers={"impact_description": "Strada riaperta", "media_connection": True},
        expected_lock_version=report.lock_version,
    )
    assert report.impact_status == "draft" and report.status == "published"
    services.impact_submit(report=report, by=roles.member, expected_lock_version=report.lock_version)
    services.impact_request_changes(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    services.impact_submit(report=report, by=roles.member, expected_lock_version=report.lock_version)
    services.impact_publish(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    assert _reload(report).impact_status == "published"
    # Step-1/2 answers are untouched by Step 3.
    assert report.answers.filter(question__key="obiettivi").exists()


def test_comments_on_fields_are_resolved_once(roles):
    report = make_report(roles.team, status="in_review")
    comment = services.comment_add(report=report, by=roles.editor, field_key="obiettivi", text="Più dettagli")
    with pytest.raises(ValidationError, match="Campo sconosciuto"):
        services.comment_add(report=report, by=roles.editor, field_key="status", text="x")
    with pytest.raises(PermissionDenied):
        services.comment_add(report=report, by=roles.member, field_key="obiettivi", text="x")
    with pytest.raises(PermissionDenied):
        services.comment_resolve(comment=comment, by=roles.other)
    services.comment_resolve(comment=comment, by=roles.member)
    with pytest.raises(ValidationError, match="già stato risolto"):
        services.comment_resolve(comment=ReviewComment.objects.get(pk=comment.pk), by=roles.editor)


def test_revision_keeps_published_text_until_approved(roles):
    report = make_report(roles.team, status="published", title="Titolo pubblicato")
    revision = services.revision_propose(
        report=report,
        by=roles.member,
        fields={"title": "Titolo nuovo"},
        raw_answers={
            "obiettivi": "Obiettivi riscritti",
            "stato_di_avanzamento": "6",
            "avanzamento": "Finito",
        },
    )
    stored = _reload(report)
    assert stored.title == "Titolo pubblicato"
    assert stored.answers.get(question__key="obiettivi").text == "Riqualificare la piazza"
    # A second proposal replaces the pending one (one open revision per report).
    services.revision_propose(
        report=report,
        by=roles.owner,
        fields={"title": "Titolo nuovissimo"},
        raw_answers={
            "obiettivi": "Obiettivi riscritti",
            "stato_di_avanzamento": "6",
            "avanzamento": "Finito",
        },
    )
    assert ReportRevision.objects.filter(report=report, status="pending").count() == 1
    revision.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.revision_approve(
            revision=revision, by=roles.member, expected_lock_version=stored.lock_version
        )
    services.revision_approve(revision=revision, by=roles.editor, expected_lock_version=stored.lock_version)
    stored = _reload(report)
    assert stored.title == "Titolo nuovissimo" and stored.status == "published"
    assert stored.answers.get(question__key="stato_di_avanzamento").option.code == "6"
    with pytest.raises(ValidationError, match="già stata esaminata"):
        services.revision_approve(
            revision=revision, by=roles.editor, expected_lock_version=stored.lock_version
        )


def test_revision_with_incomplete_answers_is_refused(roles):
    report = make_report(roles.team, status="published")
    with pytest.raises(ValidationError) as exc:
        services.revision_propose(report=report, by=roles.member, fields={}, raw_answers={"obiettivi": ""})
    assert "obiettivi" in exc.value.message_dict


def test_right_of_reply_needs_a_verified_representative(roles):
    report = make_report(roles.team, status="published")
    with pytest.raises(PermissionDenied):
        services.response_add(report=report, by=roles.registered, text="Risposta")
    with pytest.raises(PermissionDenied):
        representative_verify(user=roles.registered, by=roles.member, administration_name="Comune")
    representative_verify(user=roles.registered, by=roles.editor, administration_name="Comune di Matera")
    roles.registered.refresh_from_db()
    response = services.response_add(report=report, by=roles.registered, text="I lavori riprendono a maggio")
    assert response.administration_name == "Comune di Matera"
    draft = make_report(roles.team)
    with pytest.raises(PermissionDenied):
        services.response_add(report=draft, by=roles.registered, text="x")


def test_user_chosen_titles_are_quoted_in_subjects(roles, project, django_capture_on_commit_callbacks):
    """Issue 16, finding 6: user text in a subject reads as a name, quoted and on one line."""
    report = make_report(roles.team, project=project, title="Hai vinto!\nClicca http://evil.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=roles.member, expected_lock_version=report.lock_version)
    subject = mail.outbox[-1].subject
    assert "«Hai vinto! Clicca http://evil.example»" in subject and "\n" not in subject
