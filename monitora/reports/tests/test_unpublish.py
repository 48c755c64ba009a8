"""Unpublish: an editor withdraws a published report, with a reason; every public channel drops it."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from monitora.conftest import make_report
from monitora.core.models import AuditLog
from monitora.reports import services
from monitora.reports.models import Report
from monitora.search.models import ReportSearchDocument

MARK = "Piazza-Ritirata-Zeta"


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def _published(roles, project, capture):
    report = make_report(roles.team, status="submitted", title=MARK, project=project)
    with capture(execute=True):
        services.report_publish(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    return report


def _channels() -> list[str]:
    return [
        reverse("search:reports"),
        reverse("search:map_points"),
        reverse("public:report_list"),
        "/api/v1/reports",
        reverse("opendata:feed_all"),
        *(reverse("opendata:download", args=[name]) for name in ("reports.csv", "reports.json")),
    ]


@pytest.mark.django_db
def test_every_public_channel_drops_a_withdrawn_report(
    client, roles, project, django_capture_on_commit_callbacks
):
    report = _published(roles, project, django_capture_on_commit_callbacks)
    detail = reverse("public:report_detail", args=[report.pk])
    assert client.get(detail).status_code == 200
    assert ReportSearchDocument.objects.filter(report_id=report.pk).exists()
    unseen = [url for url in _channels() if MARK not in _body(client.get(url))]
    assert unseen == [], "every channel shows the report before the withdrawal"

    with django_capture_on_commit_callbacks(execute=True):
        services.report_unpublish(
            report=report, by=roles.editor, expected_lock_version=report.lock_version, reason="Dati personali"
        )

    assert not Report.objects.published().filter(pk=report.pk).exists()
    assert not ReportSearchDocument.objects.filter(report_id=report.pk).exists()
    assert client.get(detail).status_code == 404
    assert client.get(reverse("public:report_pdf", args=[report.pk])).status_code == 404
    assert client.get(f"/api/v1/reports/{report.pk}").status_code == 404
    for url in _channels():
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARK not in _body(response), url


@pytest.mark.django_db
def test_unpublish_is_audited_and_the_team_is_told_why(roles, project, django_capture_on_commit_callbacks):
    report = _published(roles, project, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_unpublish(
            report=report, by=roles.editor, expected_lock_version=report.lock_version, reason="Foto di minori"
        )
    entry = AuditLog.objects.filter(action="report.unpublish", object_id=str(report.pk)).get()
    assert entry.actor == roles.editor
    assert entry.data["from"] == "published" and entry.data["to"] == "withdrawn"
    assert entry.data["note"] == "Foto di minori"
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {roles.owner.email, roles.member.email}
    assert "Foto di minori" in mail.outbox[0].body


@pytest.mark.django_db
def test_unpublish_needs_an_editor_a_reason_and_a_published_report(roles, project):
    report = make_report(roles.team, status="published", project=project)
    for user in (roles.owner, roles.member, roles.other, roles.registered):
        with pytest.raises(PermissionDenied):
            services.report_unpublish(
                report=report, by=user, expected_lock_version=report.lock_version, reason="x"
            )
    with pytest.raises(ValidationError) as exc:
        services.report_unpublish(
            report=report, by=roles.editor, expected_lock_version=report.lock_version, reason=" "
        )
    assert "reason" in exc.value.message_dict
    draft = make_report(roles.team, status="in_review")
    with pytest.raises(PermissionDenied):
        services.report_unpublish(
            report=draft, by=roles.editor, expected_lock_version=draft.lock_version, reason="x"
        )
    assert Report.objects.get(pk=report.pk).status == "published"


@pytest.mark.django_db
def test_editors_withdraw_from_the_review_screen(client, roles, project, django_capture_on_commit_callbacks):
    report = make_report(roles.team, status="published", project=project)
    client.force_login(roles.editor)
    page = client.get(reverse("moderation:review", args=[report.pk]))
    assert 'value="unpublish"' in page.content.decode()
    url = reverse("moderation:act", args=[report.pk])
    data = {"action": "unpublish", "lock_version": report.lock_version, "note": ""}
    client.post(url, data)
    assert Report.objects.get(pk=report.pk).status == "published"  # no reason, nothing happens
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "note": "Segnalazione del Comune"})
    assert Report.objects.get(pk=report.pk).status == "withdrawn"
    page = client.get(reverse("moderation:review", args=[report.pk]))
    assert 'value="unpublish"' not in page.content.decode()
    client.force_login(roles.owner)
    assert (
        'value="unpublish"'
        not in client.get(reverse("authoring:report_status", args=[report.pk])).content.decode()
    )
