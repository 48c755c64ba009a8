"""The API reuses the real selectors: the catalogue search for projects, the search index for the
report `q` (so the API and the search page return the same reports for the same words)."""

import pytest

from monitora.catalogue import selectors as catalogue
from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.models import Project
from monitora.catalogue.tests.conftest import esteso_file, search_sample_rows, territories  # noqa: F401
from monitora.opendata.tests.corpus import SECRET
from monitora.reports.models import ImpactStatus, Report, ReportStatus
from monitora.reports.tests.factories import ReportFactory
from monitora.search.filters import html_filters
from monitora.search.selectors import report_search

from .corpus import build_api_corpus, index_reports, index_stale

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _get(client, path: str, status: int = 200, **params):
    response = client.get(API + path, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _ids(client, path: str, **params) -> list:
    return [r.get("id") or r.get("code") for r in _get(client, path, page_size=100, **params)["results"]]


@pytest.fixture
def corpus():
    corpus = build_api_corpus()
    extra = [
        ReportFactory(published=True, title="La mensa della scuola elementare"),
        ReportFactory(published=True, title="Nuove scuole a Bari"),
        ReportFactory(published=True, title="Ciclabile sul lungomare"),
    ]
    index_reports(extra)
    draft = ReportFactory(title="Le scuole mai finite", status=ReportStatus.DRAFT)
    index_stale(draft)
    corpus.extra, corpus.draft = extra, draft
    return corpus


@pytest.mark.parametrize(
    "words",
    ["scuole", "scuola", "SCUOLA", "mensa scuola", '"mensa della scuola"', "reggia", "città", "bozza"],
)
def test_report_q_returns_what_the_search_page_returns(client, corpus, words):
    page = report_search(html_filters({"q": words}), page_size=100, with_facets=False)
    expected = sorted(item.report_id for item in page.items)
    assert sorted(_ids(client, "/reports", q=words)) == expected


def test_report_q_uses_italian_stemming_and_the_published_gate(client, corpus):
    school, schools, _bike = corpus.extra
    assert sorted(_ids(client, "/reports", q="scuole")) == sorted([school.pk, schools.pk, corpus.legacy.pk])
    assert _ids(client, "/reports", q='"mensa della scuola"') == [school.pk]
    # Stale index rows of a draft, a rejected or a sent-back report never leave.
    assert corpus.draft.pk not in _ids(client, "/reports", q="finite")
    assert _ids(client, "/reports", q="bozza") == _ids(client, "/reports", q="respinto") == []
    # Filters and words combine; the statistics count the same reports.
    assert _ids(client, "/reports", q="scuole", year="2016") == [corpus.legacy.pk]
    assert _get(client, "/statistics", q="scuole")["total"] == 3


def test_step_3_words_are_found_only_once_step_3_is_published(client, corpus):
    assert _ids(client, "/reports", q=f"{SECRET} impatto") == []
    Report.objects.filter(pk=corpus.published.pk).update(impact_status=ImpactStatus.PUBLISHED)
    index_reports([corpus.published])
    assert _ids(client, "/reports", q="impatto revisione") == [corpus.published.pk]


@pytest.mark.parametrize(
    ("q", "message"),
    [(" ".join(f"parola{i}" for i in range(13)), "Troppe parole"), ("x" * 201, "q")],
)
def test_bad_report_words_are_400(client, corpus, q, message):
    for path in ("/reports", "/statistics"):
        assert message in _get(client, path, status=400, q=q)["detail"]


def test_punctuation_only_words_do_not_restrict(client, corpus):
    assert _get(client, "/reports", q="%_%")["count"] == _get(client, "/reports")["count"] == 5


@pytest.fixture
def catalogue_rows(territories, esteso_file):  # noqa: F811 - fixtures imported from the catalogue
    """Three projects imported from the real progetti_esteso format (territories at every level)."""
    rows = search_sample_rows()
    catalogue_import(paths=[esteso_file(rows)])
    s1 = Project.objects.get(code="S1")
    index_reports([ReportFactory(published=True, project=s1, project_code="S1")])
    ReportFactory(project=s1, project_code="S1", status=ReportStatus.SUBMITTED)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "scuole", "sort": "-funding"}, ["S2", "S1"]),
        ({"q": "CITTA"}, ["S2"]),
        ({"q": "bonifiche discariche"}, ["S3"]),
        ({"q": "ospedale"}, []),
        ({"q": "j12e20000010001"}, ["S2"]),
        ({"q": "S3"}, ["S3"]),
        ({"region": "15", "sort": "-funding"}, ["S1", "S3"]),
        ({"province": "063"}, ["S1"]),
        ({"comune": "063049"}, ["S1"]),
        ({"theme": "11"}, ["S2"]),
        ({"theme": "Istruzione e formazione"}, ["S2"]),
        ({"cycle": "3"}, ["S3"]),
        ({"state": "Concluso"}, ["S3"]),
        ({"programme": "2014IT05SFOP013"}, ["S2"]),
        ({"funding_min": "600000"}, ["S2"]),
        ({"funding_max": "600000.5", "sort": "funding"}, ["S1"]),
        ({"funding_min": "500000", "funding_max": "500000"}, ["S1"]),
        ({"q": "scuola", "region": "01"}, ["S2"]),
        ({"sort": "funding"}, ["S1", "S2", "S3"]),
    ],
)
def test_projects_use_the_catalogue_search(client, catalogue_rows, params, expected):
    assert _ids(client, "/projects", **params) == expected


def test_projects_agree_with_the_selector_and_count_published_reports(client, catalogue_rows):
    data = _get(client, "/projects", q="scuola", page_size=1)
    selector = catalogue.project_search(q="scuola", page_size=1)
    assert [r["code"] for r in data["results"]] == [p.code for p in selector.results]
    assert (data["count"], data["pages"], data["count_capped"]) == (2, 2, False)
    assert data["next"] and data["previous"] is None
    counts = {r["code"]: r["published_reports"] for r in _get(client, "/projects")["results"]}
    assert counts == {"S1": 1, "S2": 0, "S3": 0}  # the submitted report is not counted
    detail = _get(client, "/projects/S1")
    assert detail["published_reports"] == 1 and len(detail["reports"]) == 1


def test_project_totals_are_capped(client, catalogue_rows, monkeypatch):
    monkeypatch.setattr(catalogue, "COUNT_CAP", 2)
    data = _get(client, "/projects", page_size=1)
    assert (data["count"], data["pages"], data["count_capped"]) == (2, 2, True)
    assert "le pagine sono 2" in _get(client, "/projects", status=404, page=3, page_size=1)["detail"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "Campania"}, "region"),
        ({"province": "63"}, "province"),
        ({"comune": "1"}, "comune"),
        ({"programme": "a b"}, "programme"),
        ({"funding_min": "-1"}, "funding_min"),
        ({"funding_max": "inf"}, "funding_max"),
        ({"funding_min": "10", "funding_max": "5"}, "funding_min"),
        ({"sort": "title"}, "sort"),
        ({"q": "x" * 201}, "q"),
        ({"with_reports": "true"}, "Parametri sconosciuti"),
        ({"page_size": "101"}, "page_size"),
    ],
)
def test_bad_project_filters_are_400(client, catalogue_rows, params, message):
    assert message in _get(client, "/projects", status=400, **params)["detail"]


@pytest.mark.parametrize(
    "q", ['"unbalanced', "a & b | !c", "%_%", "'; DROP TABLE catalogue_project; --", "(*)", "NEAR(a b)", ":"]
)
def test_full_text_syntax_in_project_words_is_harmless(client, catalogue_rows, q):
    assert _get(client, "/projects", q=q)["count"] >= 0
    assert Project.objects.count() == 3
