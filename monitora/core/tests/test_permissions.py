"""The role × action matrix, asserted through real HTTP requests where a view exists.

Each case checks the effect in the database, not just the status code: a denied request must
leave everything as it was, an allowed one must have done its one thing.
"""

import pytest
from django.test import Client

from monitora.conftest import make_report
from monitora.core.models import log_action
from monitora.core.permissions import RULES, can
from monitora.reports.models import Report, ReviewComment
from monitora.teams.models import Invitation

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "registered", "member", "other", "editor", "admin"]

# The allow table (docs/workflow-and-permissions.md). Anything not listed is denied.
MATRIX = {
    "view_draft": {"member", "editor", "admin"},
    "edit": {"member"},
    "submit": {"member"},
    "comment": {"editor", "admin"},
    "request_changes": {"editor", "admin"},
    "publish": {"editor", "admin"},
    "reject": {"editor", "admin"},
    "delete": {"member", "admin"},
    "manage_team": {"admin"},  # the team's owner too: see test_owner_manages_team
    "see_audit_log": {"editor", "admin"},
    "export_private_data": {"admin"},
}


def _client(roles, role):
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(roles, role))
    return client


def _act(report, action):
    return {"report": report.pk, "action": action, "lock_version": report.lock_version}


def attempt(action, roles, client):
    """Run `action` over HTTP; return (response status, whether the effect happened)."""
    team = roles.team
    if action == "view_draft":
        r = make_report(team)
        resp = client.get(f"/report/{r.pk}/stato/")
        return resp.status_code, resp.status_code == 200 and r.title.encode() in resp.content
    if action == "edit":
        r = make_report(team)
        resp = client.post(
            f"/report/{r.pk}/modifica/?passo=1", {"title": "Titolo cambiato", "lock_version": r.lock_version}
        )
        return resp.status_code, Report.objects.get(pk=r.pk).title == "Titolo cambiato"
    if action == "submit":
        r = make_report(team)
        resp = client.post(f"/report/{r.pk}/invia/", {"lock_version": r.lock_version})
        return resp.status_code, Report.objects.get(pk=r.pk).status == "submitted"
    if action == "comment":
        r = make_report(team, status="submitted")
        resp = client.post(f"/redazione/report/{r.pk}/commento/", {"field_key": "obiettivi", "text": "Nota"})
        return resp.status_code, ReviewComment.objects.filter(report=r).exists()
    if action in ("request_changes", "publish", "reject"):
        r = make_report(team, status="in_review")
        resp = client.post(
            f"/redazione/report/{r.pk}/azione/", {"action": action, "lock_version": r.lock_version}
        )
        target = {"request_changes": "changes_requested", "publish": "published", "reject": "rejected"}[
            action
        ]
        return resp.status_code, Report.objects.get(pk=r.pk).status == target
    if action == "delete":
        r = make_report(team)
        resp = client.post(f"/report/{r.pk}/elimina/")
        return resp.status_code, not Report.objects.filter(pk=r.pk).exists()
    if action == "manage_team":
        resp = client.post(f"/team/{team.slug}/invita/", {"email": "nuovo@example.org"})
        return resp.status_code, Invitation.objects.filter(team=team, email="nuovo@example.org").exists()
    if action == "see_audit_log":
        r = make_report(team)
        log_action(r, action="report.created", actor=roles.member)
        resp = client.get(f"/redazione/report/{r.pk}/registro/")
        return resp.status_code, resp.status_code == 200 and "ha creato il report" in resp.content.decode()
    raise AssertionError(action)


HTTP_ACTIONS = [a for a in MATRIX if a != "export_private_data"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", HTTP_ACTIONS)
def test_matrix_over_http(roles, role, action):
    status, happened = attempt(action, roles, _client(roles, role))
    allowed = role in MATRIX[action]
    assert happened is allowed, f"{role} {action}: status {status}"
    if not allowed:
        assert status in (302, 403, 404), status
        if status == 302:
            assert role == "anonymous"


@pytest.mark.parametrize("role", ROLES)
def test_export_private_data_matrix(roles, role):
    assert can(getattr(roles, role), "data.export_private", None) is (role in MATRIX["export_private_data"])


def test_owner_manages_team(roles):
    status, happened = attempt("manage_team", roles, _client(roles, "owner"))
    assert happened and status == 302


@pytest.mark.parametrize("role", ROLES)
def test_matrix_through_can_matches_http(roles, role):
    """The same table through `can()`, for the API and admin actions that call it directly."""
    user = getattr(roles, role)
    draft = make_report(roles.team)
    in_review = make_report(roles.team, status="in_review")
    checks = {
        "view_draft": can(user, "report.view_draft", draft),
        "edit": can(user, "report.edit", draft),
        "submit": can(user, "report.submit", draft),
        "comment": can(user, "report.comment", in_review),
        "request_changes": can(user, "report.request_changes", in_review),
        "publish": can(user, "report.publish", in_review),
        "reject": can(user, "report.reject", in_review),
        "delete": can(user, "report.delete", draft),
        "manage_team": can(user, "team.manage", roles.team),
        "see_audit_log": can(user, "report.view_audit_log", draft),
        "export_private_data": can(user, "data.export_private", None),
    }
    assert {a for a, ok in checks.items() if ok} == {a for a, who in MATRIX.items() if role in who}


def test_unknown_action_and_broken_rule_deny(roles, monkeypatch):
    assert can(roles.admin, "report.nonexistent", None) is False
    monkeypatch.setitem(RULES, "report.view", lambda u, o: 1 / 0)
    assert can(roles.admin, "report.view", None) is False


def test_inactive_admin_is_denied(roles):
    roles.admin.is_active = False
    assert not any(
        can(roles.admin, action, make_report(roles.team)) for action in RULES if action.startswith("report.")
    )


@pytest.mark.parametrize("status", ["draft", "submitted", "in_review", "changes_requested", "rejected"])
def test_unpublished_reports_never_reach_public_pages(roles, status, client):
    report = make_report(roles.team, status=status, title="Segreto del team")
    assert client.get(f"/report/{report.pk}/").status_code == 404
    assert b"Segreto del team" not in client.get("/report/").content
    assert b"Segreto del team" not in client.get("/").content
    other = Client()
    other.force_login(roles.other)
    assert other.get(f"/report/{report.pk}/stato/").status_code == 404
    assert b"Segreto del team" not in other.get("/area/").content


def test_pending_revision_and_step3_stay_private(roles, client):
    from monitora.reports.services import impact_save, revision_propose

    report = make_report(roles.team, status="published", title="Pubblico")
    revision_propose(
        report=report,
        by=roles.member,
        fields={"title": "Bozza di revisione"},
        raw_answers={"obiettivi": "Testo non approvato", "stato_di_avanzamento": "4", "avanzamento": "x"},
    )
    impact_save(
        report=report,
        by=roles.member,
        raw_answers={"impact_description": "Impatto non approvato"},
        expected_lock_version=report.lock_version,
    )
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert "Pubblico" in page
    assert "Bozza di revisione" not in page and "Testo non approvato" not in page
    assert "Impatto non approvato" not in page


def test_permission_required_passes_the_loader_only_the_url_arguments_it_names(rf, roles):
    """Issue 16/1: a loader for `<slug>` behind a URL with `<slug>/<user_id>` raised TypeError (500)."""
    from monitora.core.permissions import permission_required

    def load(request, slug):
        return roles.team if slug == roles.team.slug else None

    @permission_required("team.manage", load)
    def view(request, slug, user_id):
        return (request.perm_obj, user_id)

    request = rf.post("/")
    request.user = roles.owner
    assert view(request, slug=roles.team.slug, user_id=7) == (roles.team, 7)
