import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from monitora.api.models import ApiToken
from monitora.api.services import api_token_authenticate, api_token_create, api_token_revoke
from monitora.catalogue.tests.factories import ProjectFactory
from monitora.core.models import AuditLog
from monitora.questionnaires.models import Questionnaire
from monitora.reports.models import Report, ReportStatus
from monitora.teams.models import Membership
from monitora.teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/author/reports"


@pytest.fixture
def author(django_user_model):
    return django_user_model.objects.create_user(username="autrice", password="pw-author-1")


@pytest.fixture
def team(author):
    team = TeamFactory(slug="classe-4b")
    Membership.objects.create(team=team, user=author, role=Membership.Role.OWNER)
    return team


@pytest.fixture
def token(author):
    return api_token_create(user=author, name="test")[1]


def _call(client, method: str, path: str, token: str | None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(client, method)(path, data=body, content_type="application/json", **headers)


def test_token_is_hashed_shown_once_and_revocable(author):
    token, raw = api_token_create(user=author, name="script")
    assert raw.startswith(f"mnt_{token.prefix}_")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.values_list())
    assert api_token_authenticate(raw=raw).user == author
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert api_token_authenticate(raw=raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    api_token_revoke(token=token, actor=author)
    assert api_token_authenticate(raw=raw) is None
    assert AuditLog.objects.filter(action="api_token.revoked").exists()


def test_create_token_command(author):
    out = io.StringIO()
    call_command("create_api_token", "autrice", "--name", "classe", stdout=out, stderr=io.StringIO())
    raw = out.getvalue().strip()
    assert api_token_authenticate(raw=raw).name == "classe"
    with pytest.raises(CommandError, match="inesistente"):
        call_command("create_api_token", "nessuno", stderr=io.StringIO())


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer mnt_deadbeef_x", "Basic abc"])
def test_writes_need_a_valid_token(client, team, header):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        API, data={"title": "x", "team": team.slug}, content_type="application/json", **headers
    )
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    assert not Report.objects.exists()


def test_create_update_submit_a_draft(client, team, token, author):
    project = ProjectFactory(code="1TEST/9", summary="Riqualificazione della palestra")
    response = _call(
        client,
        "post",
        API,
        token,
        {
            "title": "La palestra",
            "team": team.slug,
            "project_code": project.opencoesione_url,  # a code or the OpenCoesione URL
            "answers": {"obiettivi": "Riaprire la palestra", "stato_di_avanzamento": "4"},
            "links": {"source": ["https://example.org/delibera.pdf"]},
        },
    )
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["status"] == "draft" and draft["questionnaire"] == "v2022"
    report = Report.objects.get(pk=draft["id"])
    assert report.created_by == author and report.project == project and report.team == team
    assert report.opencoesione_url == project.opencoesione_url
    assert report.links.get().url == "https://example.org/delibera.pdf"
    # Pre-filled from the catalogue by the web form's own service, then completed by the API.
    assert draft["answers"] == {
        "attivita": "Riqualificazione della palestra",
        "obiettivi": "Riaprire la palestra",
        "stato_di_avanzamento": "4",
    }
    # A draft is private: the public API does not see it.
    assert client.get(f"/api/v1/reports/{report.pk}").status_code == 404
    version = draft["lock_version"]

    # Submitting an incomplete draft names the missing answers.
    incomplete = _call(client, "post", f"{API}/{report.pk}/submit", token, {"lock_version": version})
    assert incomplete.status_code == 400
    assert any(e.startswith("avanzamento:") for e in incomplete.json()["errors"])

    patched = _call(
        client,
        "patch",
        f"{API}/{report.pk}",
        token,
        {
            "lock_version": version,
            "title": "La palestra comunale",
            "answers": {"avanzamento": "Fermi", "gs": "2"},
        },
    )
    assert patched.status_code == 200, patched.content
    body = patched.json()
    assert body["lock_version"] == version + 1 and body["title"] == "La palestra comunale"
    assert (
        body["answers"]["avanzamento"] == "Fermi" and body["answers"]["obiettivi"] == "Riaprire la palestra"
    )
    stale = _call(client, "patch", f"{API}/{report.pk}", token, {"lock_version": version, "title": "vecchio"})
    assert stale.status_code == 409 and "Ricarica" in stale.json()["detail"]
    cleared = _call(
        client, "patch", f"{API}/{report.pk}", token, {"lock_version": version + 1, "answers": {"gs": None}}
    )
    assert "gs" not in cleared.json()["answers"]

    submitted = _call(client, "post", f"{API}/{report.pk}/submit", token, {"lock_version": version + 2})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == ReportStatus.SUBMITTED
    assert AuditLog.objects.filter(action="report.submit", object_id=str(report.pk)).exists()
    again = _call(client, "post", f"{API}/{report.pk}/submit", token, {"lock_version": version + 3})
    assert again.status_code == 409 and "inviare" in again.json()["detail"]
    locked = _call(
        client, "patch", f"{API}/{report.pk}", token, {"lock_version": version + 3, "title": "dopo"}
    )
    assert locked.status_code == 409 and "modificare" in locked.json()["detail"]
    listing = _call(client, "get", API, token).json()
    assert [r["id"] for r in listing["results"]] == [report.pk]


def test_invalid_bodies_are_400_and_write_nothing(client, team, token):
    cases = [
        ({"title": "x"}, "team"),
        ({"team": team.slug, "title": ""}, "title"),
        ({"team": team.slug, "answers": {"gs": "9"}}, "gs"),
        ({"team": team.slug, "answers": {"campo_inventato": "1"}}, "campo_inventato"),
        ({"team": team.slug, "answers": {"stato_di_avanzamento": ["1"]}}, "answers"),
        ({"team": team.slug, "answers": {"impact_description": "Step 3 non ancora"}}, "impact_description"),
        ({"team": team.slug, "latitude": 123}, "latitude"),
        ({"team": team.slug, "latitude": 41.0}, "latitude"),  # both coordinates or none
        ({"team": team.slug, "links": {"source": ["javascript:alert(1)"]}}, "links_source"),
        ({"team": "nessun-team"}, "team"),
        # Forged fields are refused, not silently ignored.
        ({"team": team.slug, "status": "published"}, "status"),
        ({"team": team.slug, "author_name": "Qualcun altro"}, "author_name"),
        # Conditional questions: the problems checklist only applies to progress 2, 4, 5.
        (
            {"team": team.slug, "answers": {"stato_di_avanzamento": "3", "problemi_tecnici": "1"}},
            "problemi_tecnici",
        ),
    ]
    for body, field in cases:
        response = _call(client, "post", API, token, body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["detail"], (body, response.content)
    response = client.post(
        API, data="{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_writes_check_team_membership(client, team, django_user_model):
    outsider = django_user_model.objects.create_user(username="estraneo", password="pw-x-12345")
    other_token = api_token_create(user=outsider, name="x")[1]
    response = _call(client, "post", API, other_token, {"title": "x", "team": team.slug})
    assert response.status_code == 403
    report = Report.objects.create(title="Bozza del team", team=team, questionnaire_id=_v2022())
    for method, path, body in (
        ("get", f"{API}/{report.pk}", None),
        ("patch", f"{API}/{report.pk}", {"lock_version": 1, "title": "preso"}),
        ("post", f"{API}/{report.pk}/submit", {"lock_version": 1}),
    ):
        assert _call(client, method, path, other_token, body).status_code == 404
    assert _call(client, "get", API, other_token).json()["count"] == 0
    assert Report.objects.get(pk=report.pk).title == "Bozza del team"


def _v2022() -> int:
    return Questionnaire.objects.get(code="v2022").pk


def test_nul_characters_and_oversized_bodies_are_400(client, team, token, settings):
    for body in (
        {"title": "a\x00b", "team": team.slug},
        {"title": "ok", "team": team.slug, "answers": {"obiettivi": "x\x00"}},
    ):
        response = _call(client, "post", API, token, body)
        assert response.status_code == 400 and "NUL" in response.json()["detail"]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _call(client, "post", API, token, {"team": team.slug, "answers": {"obiettivi": "y" * 2000}})
    assert response.status_code == 400
    assert not Report.objects.exists()
