import pytest
from django.urls import reverse

from monitora.public.tests.reports import make_rich_report
from monitora.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

XSS_TITLE = "<script>alert('x')</script>"


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_report_title_is_escaped_in_changelist_and_change_page(admin_client_):
    report = ReportFactory(title=XSS_TITLE, author_name="<b>autore</b>")
    changelist = admin_client_.get(reverse("admin:reports_report_changelist"))
    assert changelist.status_code == 200
    assert XSS_TITLE not in changelist.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in changelist.text
    change = admin_client_.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert change.status_code == 200
    assert XSS_TITLE not in change.text and "<b>autore</b>" not in change.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in change.text


def test_change_page_shows_answers_with_question_labels_and_links_read_only(admin_client_):
    report = make_rich_report()
    html = admin_client_.get(reverse("admin:reports_report_change", args=[report.pk])).text
    assert "Punti di debolezza" in html or "Debolezze" in html
    assert "[punti_deboli]" in html
    assert "Scarsa partecipazione alle attività formative" in html
    assert "Non è stato possibile valutare" in html and "(5)" in html  # option label and code
    assert "Sì" in html  # a ticked method shown as a boolean
    assert "https://www.youtube.com/watch?v=abc123" in html
    assert 'name="_save"' not in html  # inspect only: writes go through services
    assert f'href="/report/{report.pk}/"' in html


@pytest.mark.parametrize(
    "query",
    ["q=WELCOME", "q=1PIE0042", "q=Doest", "status__exact=published", "source__exact=web",
     "published_at__year=2024", "questionnaire__id__exact={questionnaire}"],
)  # fmt: skip
def test_changelist_search_and_filters(admin_client_, query):
    report = make_rich_report()
    query = query.format(questionnaire=report.questionnaire_id)
    response = admin_client_.get(reverse("admin:reports_report_changelist") + "?" + query)
    assert response.status_code == 200  # an unknown lookup would redirect to ?e=1
    assert "WELCOME" in response.text


def test_search_finds_by_title_project_code_and_author(admin_client_):
    report = make_rich_report()
    ReportFactory(title="Un altro report")
    for term in ("WELCOME", report.project_code, "Team Doest"):
        html = admin_client_.get(reverse("admin:reports_report_changelist"), {"q": term}).text
        assert report.title in html and "Un altro report" not in html, term


def test_editors_cannot_add_or_delete_reports_in_admin(admin_client_):
    report = ReportFactory()
    assert admin_client_.get(reverse("admin:reports_report_add")).status_code == 403
    assert admin_client_.get(reverse("admin:reports_report_delete", args=[report.pk])).status_code == 403


def test_projects_territories_teams_and_questionnaires_are_browsable(admin_client_):
    report = make_rich_report()
    for name in (
        "admin:catalogue_project_changelist",
        "admin:catalogue_territory_changelist",
        "admin:teams_team_changelist",
        "admin:questionnaires_questionnaire_changelist",
        "admin:questionnaires_question_changelist",
    ):
        assert admin_client_.get(reverse(name)).status_code == 200, name
    html = admin_client_.get(reverse("admin:catalogue_project_changelist"), {"q": report.project.code}).text
    assert report.project.code in html
    html = admin_client_.get(
        reverse("admin:questionnaires_questionnaire_change", args=[report.questionnaire_id])
    ).text
    assert "valutazione_risultati" in html and 'name="_save"' not in html
