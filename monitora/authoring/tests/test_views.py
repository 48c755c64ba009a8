import pytest
from django.test import Client

from monitora.conftest import make_report
from monitora.reports.models import Report, ReviewComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(roles):
    client = Client()
    client.force_login(roles.member)
    return client


def _post(client, report, step, data, **extra):
    payload = {"lock_version": Report.objects.get(pk=report.pk).lock_version, "passo": step, **data}
    return client.post(f"/report/{report.pk}/modifica/?passo={step}", payload, **extra)


@pytest.mark.parametrize("how", ["code", "url", "lowercase"])
def test_new_report_from_code_or_opencoesione_url(roles, project, member_client, how):
    query = {"code": project.code, "url": project.opencoesione_url, "lowercase": project.code.lower()}[how]
    page = member_client.get("/report/nuovo/", {"progetto": query})
    assert page.status_code == 200 and project.title.encode() in page.content
    resp = member_client.post("/report/nuovo/", {"progetto": query, "team": roles.team.pk})
    report = Report.objects.get(project=project)
    assert resp.url == f"/report/{report.pk}/modifica/"
    # Pre-filled from the catalogue: title, summary, the comune's centroid; owned by the team.
    assert report.title == project.title and report.team == roles.team and report.status == "draft"
    assert (report.latitude, report.longitude) == (40.6664, 16.6043)
    assert report.answers.get(question__key="attivita").text == "Recupero dei Sassi"


def test_new_report_warns_about_published_reports(roles, project, member_client):
    published = make_report(roles.other_team, status="published", project=project, title="Già monitorato")
    page = member_client.get("/report/nuovo/", {"progetto": project.code}).content.decode()
    assert "già stato monitorato" in page and f"/report/{published.pk}/" in page


def test_new_report_refuses_foreign_team_and_unknown_project(roles, project, member_client):
    member_client.post("/report/nuovo/", {"progetto": project.code, "team": roles.other_team.pk})
    member_client.post("/report/nuovo/", {"progetto": "NON-ESISTE", "team": roles.team.pk})
    page = member_client.get("/report/nuovo/", {"progetto": "https://evil.example/progetti/x/"})
    assert b"Progetto non trovato" in page.content
    assert not Report.objects.exists()


def test_form_is_generated_from_the_questionnaire(roles, project, member_client):
    report = make_report(roles.team, project=project)
    step1 = member_client.get(f"/report/{report.pk}/modifica/?passo=1").content.decode()
    assert "Obiettivi del progetto monitorato:" in step1 and 'name="q_gender_objectives"' in step1
    assert 'data-condition="gender_objectives=1"' in step1
    step2 = member_client.get(f"/report/{report.pk}/modifica/?passo=2").content.decode()
    assert "Potenzialmente efficace" in step2  # gs label variant for the saved progress state (4)
    assert 'name="q_problemi_tecnici"' in step2 and 'data-condition="stato_di_avanzamento=2,4,5"' in step2
    # Works status only for public-works projects.
    assert "q_stato_di_avanzamento_infrastrutturale" not in step2
    project.cup_nature = "REALIZZAZIONE DI LAVORI PUBBLICI (OPERE ED IMPIANTISTICA)"
    project.save()
    assert (
        "q_stato_di_avanzamento_infrastrutturale"
        in member_client.get(f"/report/{report.pk}/modifica/?passo=2").content.decode()
    )


def test_save_step2_prunes_inapplicable_answers(roles, project, member_client):
    report = make_report(roles.team, project=project)
    resp = _post(
        member_client,
        report,
        2,
        {
            "q_stato_di_avanzamento": "6",
            "q_avanzamento": "Concluso",
            "q_problemi_tecnici": "on",
            "q_gs": "1",
            "latitude": "40.5",
            "longitude": "16.5",
        },
    )
    assert resp.status_code == 302
    report.refresh_from_db()
    keys = set(report.answers.values_list("question__key", flat=True))
    assert "problemi_tecnici" not in keys and {"gs", "stato_di_avanzamento", "obiettivi"} <= keys
    assert report.latitude == 40.5
    # In progress with problems: the checklist is stored, unticked boxes as an explicit "No".
    _post(
        member_client,
        report,
        2,
        {"q_stato_di_avanzamento": "4", "q_avanzamento": "x", "q_problemi_tecnici": "on"},
    )
    answers = {
        a.question.key: a.boolean for a in report.answers.select_related("question") if a.boolean is not None
    }
    assert answers["problemi_tecnici"] is True and answers["problemi_amministrativi"] is False


def test_invalid_location_is_refused_with_a_message(roles, member_client):
    report = make_report(roles.team)
    resp = _post(
        member_client, report, 2, {"q_stato_di_avanzamento": "4", "latitude": "95", "longitude": "10"}
    )
    assert resp.status_code == 400
    assert Report.objects.get(pk=report.pk).latitude is None
    resp = _post(member_client, report, 2, {"latitude": "45", "longitude": ""})
    assert resp.status_code == 400 and "sia la latitudine sia la longitudine" in resp.content.decode()


def test_autosave_returns_the_new_lock_version(roles, member_client):
    report = make_report(roles.team)
    resp = _post(
        member_client, report, 1, {"title": "Autosalvato", "q_obiettivi": "x"}, HTTP_HX_REQUEST="true"
    )
    report.refresh_from_db()
    assert resp.status_code == 200 and report.title == "Autosalvato"
    assert f'value="{report.lock_version}"' in resp.content.decode()


def test_stale_save_is_refused_and_the_input_is_kept(roles, member_client):
    report = make_report(roles.team)
    seen = report.lock_version
    _post(member_client, report, 1, {"title": "Prima modifica", "q_obiettivi": "A"})
    resp = member_client.post(
        f"/report/{report.pk}/modifica/?passo=1",
        {
            "lock_version": seen,
            "passo": 1,
            "title": "Seconda modifica",
            "q_obiettivi": "Testo lungo da non perdere",
        },
    )
    page = resp.content.decode()
    assert resp.status_code == 409
    assert "modificato da qualcun altro" in page and "Testo lungo da non perdere" in page
    assert Report.objects.get(pk=report.pk).title == "Prima modifica"


def test_forged_fields_are_ignored(roles, member_client):
    report = make_report(roles.team)
    _post(
        member_client,
        report,
        1,
        {
            "title": "Ok",
            "status": "published",
            "team": roles.other_team.pk,
            "author_name": "Falso",
            "created_by": roles.admin.pk,
            "published_at": "2020-01-01",
            "q_obiettivi": "x",
        },
    )
    report.refresh_from_db()
    assert (report.title, report.status, report.team) == ("Ok", "draft", roles.team)
    assert report.author_name != "Falso" and report.published_at is None and report.created_by != roles.admin


def test_submit_with_missing_answers_lists_them(roles, member_client):
    report = make_report(roles.team, complete=False)
    resp = member_client.post(
        f"/report/{report.pk}/invia/", {"lock_version": report.lock_version}, follow=True
    )
    page = resp.content.decode()
    # The questionnaire's label, never the internal key.
    assert "Obiettivi del progetto monitorato: risposta obbligatoria" in page
    assert "obiettivi:" not in page
    assert Report.objects.get(pk=report.pk).status == "draft"


def test_author_sees_and_resolves_field_comments(roles, member_client):
    report = make_report(roles.team, status="changes_requested")
    comment = ReviewComment.objects.create(
        report=report, field_key="obiettivi", text="Cita la fonte", author=roles.editor
    )
    page = member_client.get(f"/report/{report.pk}/modifica/?passo=1").content.decode()
    assert "Cita la fonte" in page
    member_client.post(f"/commenti/{comment.pk}/risolvi/", {"torna": "modifica"})
    comment.refresh_from_db()
    assert comment.resolved_by == roles.member
    outsider = Client()
    outsider.force_login(roles.other)
    other = ReviewComment.objects.create(report=report, field_key="title", text="x", author=roles.editor)
    assert outsider.post(f"/commenti/{other.pk}/risolvi/").status_code == 404


def test_source_and_video_links_are_validated_and_saved(roles, member_client):
    report = make_report(roles.team)
    resp = _post(member_client, report, 2, {"links_source": "javascript:alert(1)\nhttps://ok.example/a"})
    assert resp.status_code == 400 and "Link non valido: javascript:alert(1)" in resp.content.decode()
    assert not report.links.exists()
    _post(
        member_client,
        report,
        2,
        {
            "links_source": "https://opencoesione.gov.it/x\nhttps://opencoesione.gov.it/x\n",
            "links_video": "https://youtu.be/abc",
        },
    )
    assert list(report.links.order_by("kind", "position").values_list("kind", "url")) == [
        ("source", "https://opencoesione.gov.it/x"),
        ("video", "https://youtu.be/abc"),
    ]
    # Step 1 does not post the link fields: the links stay.
    _post(member_client, report, 1, {"title": "T"})
    assert report.links.count() == 2
