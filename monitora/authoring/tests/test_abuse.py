"""Bad input and abuse: script in every text field, CSRF on every change, stale tokens."""

import pytest
from django.test import Client

from monitora.accounts.models import Profile
from monitora.accounts.services import representative_verify
from monitora.conftest import make_report
from monitora.core.models import AuditLog, log_action
from monitora.reports import services
from monitora.reports.models import AdministrationResponse, Report, ReviewComment
from monitora.teams.models import Membership

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"
RAW = ["<script>alert(", "<img src=x onerror"]


@pytest.fixture
def hostile(roles, project):
    """A published report and a draft where every user-controlled string carries a payload."""
    roles.team.name = "Team " + XSS
    roles.team.save()
    project.title = "Progetto " + XSS
    project.save()
    published = make_report(roles.team, status="in_review", title="Titolo " + XSS, project=project)
    member = Client()
    member.force_login(roles.member)
    draft = make_report(roles.team, project=project)
    member.post(
        f"/report/{draft.pk}/modifica/?passo=1",
        {
            "lock_version": draft.lock_version,
            "passo": 1,
            "title": "Bozza " + XSS,
            "q_obiettivi": "Obiettivi " + XSS,
            "q_attivita": XSS,
        },
    )
    services.comment_add(report=published, by=roles.editor, field_key="obiettivi", text="Commento " + XSS)
    services.comment_add(report=published, by=roles.editor, field_key="title", text=XSS)
    services.report_publish(report=published, by=roles.editor, expected_lock_version=published.lock_version)
    Profile.objects.create(
        user=roles.registered, display_name="Nome " + XSS, administration_name="Comune " + XSS
    )
    representative_verify(user=roles.registered, by=roles.editor, administration_name="Comune " + XSS)
    roles.registered.refresh_from_db()
    services.response_add(report=published, by=roles.registered, text="Risposta " + XSS)
    log_action(published, action="report.note", actor=roles.editor, data={"note": XSS})
    return published, draft


def _assert_escaped(content: bytes, where: str) -> None:
    page = content.decode()
    for raw in RAW:
        assert raw not in page, f"unescaped payload in {where}"
    assert "&lt;script&gt;" in page or "&lt;img" in page, f"payload not shown at all in {where}"


def test_script_is_escaped_on_every_page(roles, hostile):
    published, draft = hostile
    pages = {
        None: ["/", "/report/", f"/report/{published.pk}/", f"/progetti/{published.project.code}/"],
        roles.member: [
            "/area/",
            f"/report/{draft.pk}/modifica/?passo=1",
            f"/report/{draft.pk}/stato/",
            f"/report/{published.pk}/stato/",
            f"/team/{roles.team.slug}/",
            f"/report/{published.pk}/revisione/",
            f"/report/nuovo/?progetto={published.project.code}",
        ],
        roles.editor: [
            f"/redazione/report/{published.pk}/registro/",
            "/redazione/rappresentanti/",
            f"/report/{published.pk}/",
        ],
        roles.admin: [
            "/admin/reports/reviewcomment/",
            f"/admin/reports/reviewcomment/{ReviewComment.objects.first().pk}/change/",
            "/admin/reports/administrationresponse/",
            f"/admin/reports/administrationresponse/{AdministrationResponse.objects.get().pk}/change/",
            "/admin/accounts/profile/",
            "/admin/teams/team/",
            f"/admin/teams/team/{roles.team.pk}/change/",
            f"/admin/core/auditlog/{AuditLog.objects.get(action='report.note').pk}/change/",
        ],
    }
    for user, urls in pages.items():
        client = Client()
        if user:
            client.force_login(user)
        for url in urls:
            resp = client.get(url)
            assert resp.status_code == 200, url
            _assert_escaped(resp.content, url)


def test_review_page_escapes_payload(roles, hostile):
    _published, draft = hostile
    submitted = make_report(roles.team, status="submitted", title="Inviato " + XSS)
    client = Client()
    client.force_login(roles.editor)
    _assert_escaped(client.get(f"/redazione/report/{submitted.pk}/").content, "review")
    _assert_escaped(client.get("/redazione/").content, "queue")


def test_mail_subject_cannot_inject_headers(roles, django_capture_on_commit_callbacks):
    from django.core import mail

    report = make_report(roles.team, title="Titolo\r\nBcc: spam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=roles.member, expected_lock_version=report.lock_version)
    message = mail.outbox[-1]
    assert "\n" not in message.subject and "spam@example.org" not in message.bcc


def _csrf_cases(roles, project):
    draft = make_report(roles.team)
    in_review = make_report(roles.team, status="in_review")
    published = make_report(roles.team, status="published")
    comment = ReviewComment.objects.create(report=in_review, field_key="title", text="x", author=roles.editor)
    return [
        (roles.member, f"/report/{draft.pk}/modifica/", {"title": "X", "lock_version": draft.lock_version}),
        (roles.member, f"/report/{draft.pk}/invia/", {"lock_version": draft.lock_version}),
        (roles.member, f"/report/{draft.pk}/elimina/", {}),
        (
            roles.member,
            f"/report/{published.pk}/impatto/",
            {"lock_version": published.lock_version, "q_impact_description": "X"},
        ),
        (roles.member, f"/report/{published.pk}/revisione/", {"title": "X"}),
        (roles.member, f"/commenti/{comment.pk}/risolvi/", {}),
        (roles.member, "/report/nuovo/", {"progetto": project.code, "team": roles.team.pk}),
        (
            roles.editor,
            f"/redazione/report/{in_review.pk}/azione/",
            {"action": "publish", "lock_version": in_review.lock_version},
        ),
        (roles.editor, f"/redazione/report/{in_review.pk}/commento/", {"field_key": "title", "text": "X"}),
        (
            roles.editor,
            "/redazione/rappresentanti/",
            {"email": roles.registered.email, "administration_name": "X"},
        ),
        (roles.owner, "/team/nuovo/", {"name": "X", "category": "citizen"}),
        (roles.owner, f"/team/{roles.team.slug}/invita/", {"email": "x@example.org"}),
        (roles.owner, f"/team/{roles.team.slug}/rimuovi/{roles.member.pk}/", {}),
        (
            roles.member,
            "/account/profilo/",
            {"author_category": "citizen", "display_name": "X", "handle": ""},
        ),
        (roles.member, "/account/elimina/", {"confirm": "ELIMINA"}),
        (roles.member, "/account/logout/", {}),
        (None, "/account/login/", {"login": roles.member.email, "password": "x"}),
        (None, "/account/signup/", {"email": "n@example.org", "password1": "x", "password2": "x"}),
        (None, "/account/password/reset/", {"email": roles.member.email}),
    ]


def test_csrf_is_enforced_on_every_change(roles, project):
    cases = _csrf_cases(roles, project)
    before = (Report.objects.count(), Membership.objects.count(), ReviewComment.objects.count())
    for user, url, data in cases:
        client = Client(enforce_csrf_checks=True)
        if user:
            client.force_login(user)
        resp = client.post(url, data)
        assert resp.status_code == 403, url
    assert (Report.objects.count(), Membership.objects.count(), ReviewComment.objects.count()) == before
    assert not Report.objects.filter(title="X").exists()
    assert Report.objects.filter(status="published").count() == 1


def test_stale_or_missing_edit_tokens_are_refused(roles):
    report = make_report(roles.team, status="in_review")
    editor = Client()
    editor.force_login(roles.editor)
    for token in ["", "abc", "0", "-1", str(report.lock_version + 5), str(report.lock_version - 1)]:
        editor.post(f"/redazione/report/{report.pk}/azione/", {"action": "publish", "lock_version": token})
        assert Report.objects.get(pk=report.pk).status == "in_review", token
    member = Client()
    member.force_login(roles.member)
    draft = make_report(roles.team)
    resp = member.post(f"/report/{draft.pk}/modifica/?passo=1", {"title": "Nuovo", "passo": 1})
    assert resp.status_code == 400 and Report.objects.get(pk=draft.pk).title != "Nuovo"


def test_forged_action_names_are_not_found(roles):
    report = make_report(roles.team, status="in_review")
    editor = Client()
    editor.force_login(roles.editor)
    resp = editor.post(
        f"/redazione/report/{report.pk}/azione/", {"action": "delete", "lock_version": report.lock_version}
    )
    assert resp.status_code == 404 and Report.objects.filter(pk=report.pk).exists()
