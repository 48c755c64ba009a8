import re
from html import unescape

import pytest
from django.urls import reverse

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.questionnaires.validation import clean_answers
from monitora.reports.models import ImpactStatus, ReportStatus
from monitora.reports.selectors import report_document
from monitora.reports.services import report_save_answers
from monitora.reports.tests.factories import ReportFactory
from monitora.teams.tests.factories import TeamFactory

from .reports import RICH_ANSWERS, make_rich_report, shown_pieces

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """Visible text with whitespace collapsed, to compare with answers regardless of <br>."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("status", [s for s in ReportStatus if s != ReportStatus.PUBLISHED])
def test_unpublished_reports_are_not_visible_anywhere(client, status):
    project = ProjectFactory()
    hidden = ReportFactory(title="Bozza segreta", status=status, project=project)
    assert client.get(reverse("public:report_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("public:report_pdf", args=[hidden.pk])).status_code == 404
    for url in (
        reverse("public:report_list"),
        reverse("public:home"),
        reverse("public:project_detail", args=[project.code]),
    ):
        assert "Bozza segreta" not in client.get(url).text


def test_report_page_lays_out_every_section_of_a_rich_report(client):
    report = make_rich_report()
    response = client.get(reverse("public:report_detail", args=[report.pk]))
    assert response.status_code == 200
    page = text_of(response.text)
    assert "REPORT DI MONITORAGGIO CIVICO" in page
    assert "Inviato il 15/03/2021 | Di Team Doest | @Doest18" in page
    for section in report_document(report).sections:
        assert re.search(f'<h[23] id="titolo-{section.slug}">{section.heading}</h[23]>', response.text)
    for key, value in RICH_ANSWERS.items():
        if len(value) > 2:  # texts; closed answers are checked through their labels below
            for piece in shown_pieces(value):
                assert piece in page, key
    assert "Non è stato possibile valutare l’efficacia dell’intervento" in page
    assert "Raccolta di informazioni via web" in page
    headings = re.findall(r'<h[23] id="titolo-[^"]+">([^<]+)</h[23]>', response.text)
    assert headings.index("Descrizione") < headings.index("Avanzamento") < headings.index("Risultati")
    assert headings.index("Soluzioni e Idee") < headings.index("Metodo di indagine")
    assert headings[-2:] == ["Domande principali", "Risposte principali"]
    # Issue 13: the findings and the interviews are nested one level below their section.
    top = re.findall(r'<h2 id="titolo-[^"]+">([^<]+)</h2>', response.text)
    nested = re.findall(r'<h3 id="titolo-[^"]+">([^<]+)</h3>', response.text)
    assert top == [
        "Descrizione",
        "Cosa abbiamo scoperto",
        "Risultati e impatto del monitoraggio",
        "Metodo di indagine",
    ]
    assert nested[:3] == ["Avanzamento", "Risultati", "Punti di debolezza"]
    assert nested[-2:] == ["Domande principali", "Risposte principali"]


def test_sidebar_shows_official_data_at_monitoring_time_and_materials(client):
    report = make_rich_report()
    report.project.title = "Titolo aggiornato dopo il monitoraggio"
    report.project.save()
    page = text_of(client.get(reverse("public:report_detail", args=[report.pk])).text)
    assert "Titolo del progetto WELCOME - strategia di innovazione sociale" in page
    assert "Titolo aggiornato dopo il monitoraggio" not in page  # the snapshot, not today's record
    assert "Data inizio 15/07/2020" in page
    assert "Data fine prevista 31/12/2022" in page
    assert "Costo totale € 1.234.567,50" in page
    assert "Progetto finanziato da POR PIEMONTE FSE 2014-2020" in page
    assert "Beneficiario COOPERATIVA 1 COOPERATIVA 2 COOPERATIVA 3 COOPERATIVA 4 e altri 2" in page
    assert "COOPERATIVA 5" not in page
    assert "Impatto Promesse concrete" in page
    assert "Il video del team" in page and "Delibera regionale" in page
    assert 'alt="Il cantiere"' in client.get(reverse("public:report_detail", args=[report.pk])).text


def test_links_to_opencoesione_project_page_and_pdf(client):
    report = make_rich_report()
    html = client.get(reverse("public:report_detail", args=[report.pk])).text
    assert f'href="{report.project.opencoesione_url}"' in html
    assert f'href="{reverse("public:project_detail", args=[report.project.code])}"' in html
    assert f'href="{reverse("public:report_pdf", args=[report.pk])}"' in html


def test_opencoesione_link_without_catalogue_project_uses_the_code(client):
    report = ReportFactory(published=True, project_code="1MISE 123/A", opencoesione_url="javascript:x()")
    html = client.get(reverse("public:report_detail", args=[report.pk])).text
    assert 'href="https://opencoesione.gov.it/it/progetti/1mise-123a/"' in html
    assert "javascript:" not in html


def test_impact_is_shown_only_once_published(client):
    report = make_rich_report(impact_status=ImpactStatus.SUBMITTED)
    page = text_of(client.get(reverse("public:report_detail", args=[report.pk])).text)
    assert "Promesse concrete" not in page
    assert RICH_ANSWERS["impact_description"] not in page


def test_user_text_is_escaped_everywhere_including_preview_tags(client):
    project = ProjectFactory(title='<img src=x onerror="alert(2)">')
    report = ReportFactory(published=True, project=project, title='<script>alert(1)</script>"')
    report_save_answers(report=report, answers=clean_answers("v2022", {"avanzamento": "<b>x</b> in corso"}))
    html = client.get(reverse("public:report_detail", args=[report.pk])).text
    assert "<script>alert(1)</script>" not in html
    assert '<meta property="og:title" content="&lt;script&gt;alert(1)&lt;/script&gt;&quot;">' in html
    assert "&lt;b&gt;x&lt;/b&gt; in corso" in html
    project_html = client.get(reverse("public:project_detail", args=[project.code])).text
    assert "<img src=x" not in project_html and "&lt;img src=x" in project_html
    assert "<script>alert(1)" not in client.get(reverse("public:report_list")).text


def test_social_preview_tags_and_stable_permalink(client, settings):
    settings.SITE_URL = "https://monitora.example.org"
    report = make_rich_report()
    html = client.get(reverse("public:report_detail", args=[report.pk])).text
    permalink = f"https://monitora.example.org/report/{report.pk}/"
    assert f'<link rel="canonical" href="{permalink}">' in html
    assert f'<meta property="og:url" content="{permalink}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert (
        '<meta property="og:image" content="https://files.ascuoladiopencoesione.it/foto-cantiere.png">'
        in html
    )
    description = re.search(r'<meta property="og:description" content="([^"]*)">', html)[1]
    assert unescape(description).startswith("Il progetto WELCOME vuole favorire")
    assert 'rel="stylesheet" href="/static/css/print.css" media="print"' in html


def test_report_list_paginates_and_tolerates_bad_page_numbers(client):
    ReportFactory.create_batch(27, published=True)
    first = client.get(reverse("public:report_list"))
    assert first.text.count('class="report-card"') == 25
    assert "27 report pubblicati" in first.text
    second = client.get(reverse("public:report_list"), {"page": 2})
    assert second.text.count('class="report-card"') == 2
    for bad in ("abc", "99999999999999999999", "-1", "0"):
        assert client.get(reverse("public:report_list"), {"page": bad}).status_code == 200


def test_report_cards_escape_title_team_and_project_title(client):
    """The cards are built in Python: each value from the database is escaped there."""
    team = TeamFactory(name='Scuola <i onmouseover="x">&')
    project = ProjectFactory(title='Progetto <img src=x onerror="alert(2)">')
    ReportFactory(published=True, project=project, team=team, title="Titolo <script>alert(1)</script>'")
    html = client.get(reverse("public:report_list")).text
    for raw in ("<script>alert(1)", "<img src=x", '<i onmouseover="x">'):
        assert raw not in html
    assert "Titolo &lt;script&gt;alert(1)&lt;/script&gt;&#x27;</a>" in html
    assert " · Scuola &lt;i onmouseover=&quot;x&quot;&gt;&amp;</p>" in html
    assert '<p class="project">Progetto &lt;img src=x onerror=&quot;alert(2)&quot;&gt;</p>' in html


def test_report_cards_read_no_more_than_a_card_shows(client, django_assert_num_queries):
    """A list page decodes no report snapshot nor catalogue row: a card shows title, date, team
    and project title only, and each extra column cost a list miss more than its rendering."""
    ReportFactory.create_batch(3, published=True)
    with django_assert_num_queries(2) as captured:  # the count and the page
        html = client.get(reverse("public:report_list")).text
    page_sql = captured.captured_queries[-1]["sql"]
    assert html.count('class="report-card"') == 3
    for heavy in ("project_snapshot", '"raw"', "subjects", "questionnaire"):
        assert heavy not in page_sql


def test_report_page_reads_no_catalogue_json(client, django_assert_max_num_queries):
    """The page shows the report's own snapshot: the project's catalogue JSON (raw source row,
    programmes, subjects) stays unread, as it cost every uncached view its decoding."""
    report = make_rich_report()
    with django_assert_max_num_queries(12) as captured:
        html = client.get(reverse("public:report_detail", args=[report.pk])).text
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "catalogue_project" in sql
    for heavy in (
        '"catalogue_project"."raw"',
        '"catalogue_project"."programmes"',
        '"catalogue_project"."subjects"',
    ):
        assert heavy not in sql
    assert report.title in unescape(html)


def test_home_lists_latest_published_reports_first(client):
    old = ReportFactory(published=True, title="Report più vecchio")
    new = ReportFactory(published=True, title="Report più recente")
    new.published_at = old.published_at.replace(year=2025)
    new.save()
    html = client.get(reverse("public:home")).text
    assert html.index("Report più recente") < html.index("Report più vecchio")


def test_project_page_lists_its_published_reports_and_official_data(client):
    report = make_rich_report()
    ReportFactory(published=True, title="Report su un altro progetto")
    html = client.get(reverse("public:project_detail", args=[report.project.code])).text
    assert report.title in html
    assert "Report su un altro progetto" not in html
    assert report.project.opencoesione_url in html
    removed = ProjectFactory(removed_at="2024-01-01T00:00:00Z")
    assert client.get(reverse("public:project_detail", args=[removed.code])).status_code == 404


def test_public_pages_only_answer_safe_methods(client):
    report = make_rich_report()
    assert client.post(reverse("public:report_detail", args=[report.pk])).status_code == 405


def test_htmx_is_served_from_the_npm_package():
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/htmx.org/htmx.min.js"), "run `make setup` (npm ci) to install htmx.org"


def test_excerpts_never_just_repeat_the_title(client):
    """Issue 13: meta description, report cards and the project's "Sintesi" skip a repeated title."""
    from monitora.catalogue.tests.factories import ProjectFactory
    from monitora.questionnaires.models import Questionnaire
    from monitora.questionnaires.validation import clean_answers
    from monitora.reports.services import report_save_answers

    title = "Riqualificazione della piazza del mercato di Sora"
    project = ProjectFactory(code="1LAZ0099", title=title.upper(), summary=f"{title}.")
    report = ReportFactory(
        published=True, title=title, project=project, questionnaire=Questionnaire.objects.get(code="v2022")
    )
    answers = {"obiettivi": f"{title}.", "attivita": "Lavori fermi da due anni: il cantiere è chiuso."}
    report_save_answers(report=report, answers=clean_answers("v2022", answers))
    page = client.get(reverse("public:report_detail", args=[report.pk])).text
    assert '<meta name="description" content="Lavori fermi da due anni: il cantiere è chiuso.">' in page
    assert 'property="og:description" content="Lavori fermi da due anni' in page
    cards = client.get(reverse("public:report_list")).text
    assert title.upper() not in cards  # the project line under the card repeats the report's title
    project_page = client.get(reverse("public:project_detail", args=[project.code])).text
    assert "Sintesi" not in project_page
    assert f'<meta name="description" content="{title.upper()}">' in project_page
