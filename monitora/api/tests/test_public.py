import pytest

from monitora.opendata.tests.corpus import SECRET
from monitora.reports.tests.factories import ReportFactory

from .corpus import build_api_corpus, index_reports

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def corpus():
    return build_api_corpus()


def _get(client, path: str, status: int = 200, **params):
    response = client.get(API + path, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_report_list_is_gated_and_paginated(client, corpus):
    data = _get(client, "/reports")
    assert data["count"] == 2 and data["pages"] == 1
    assert [r["id"] for r in data["results"]] == [corpus.published.pk, corpus.legacy.pk]
    assert SECRET not in str(data)
    page = _get(client, "/reports", page_size=1, page=2)
    assert [r["id"] for r in page["results"]] == [corpus.legacy.pk]
    assert page["previous"] and page["next"] is None


def test_report_detail_is_gated(client, corpus):
    for report in corpus.hidden:
        error = _get(client, f"/reports/{report.pk}", status=404)
        assert error["detail"]
    detail = _get(client, f"/reports/{corpus.published.pk}")
    answers = {a["key"]: a for a in detail["answers"]}
    assert answers["stato_di_avanzamento"] == {
        "key": "stato_di_avanzamento",
        "label": "Stato di avanzamento del progetto monitorato:",
        "value": "4",
        "value_label": "In corso con problemi di realizzazione",
        "step": 2,
    }
    assert answers["visita_diretta"]["value"] is True and answers["visita_diretta"]["value_label"] == "Sì"
    assert answers["raccolta_info_web"]["value_label"] == "No"
    # Step 3 of this report is still in review: none of it leaves.
    assert "impact_description" not in answers and "admin_response_promises" not in answers
    assert SECRET not in str(detail)
    assert detail["effectiveness"]["code"] == "2"
    assert detail["project"]["code"] == corpus.project.code
    assert detail["links"] == [{"kind": "source", "url": "https://example.org/fonte", "title": ""}]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "15"}, "published"),
        ({"province": "061"}, "published"),
        ({"region": "01"}, None),
        ({"theme": "09"}, "published"),
        ({"theme": "cultura e turismo"}, "published"),
        ({"progress_state": "4"}, "published"),
        ({"progress_state": "5"}, None),
        ({"effectiveness": "2"}, "published"),
        ({"effectiveness": "3"}, None),
        ({"overall_judgement": "5"}, "legacy"),
        ({"results_judgement": "4"}, "legacy"),
        ({"year": "2016"}, "legacy"),
        ({"questionnaire": "legacy"}, "legacy"),
        ({"project_code": "1MISEPON04A3_00133/1"}, "published"),
        ({"q": "reggia"}, "published"),
        ({"q": "una scuola"}, "legacy"),
        ({"q": SECRET}, None),
        ({"author_category": "citizen", "year": "2024"}, "published"),
    ],
)
def test_report_filters(client, corpus, params, expected):
    ids = [r["id"] for r in _get(client, "/reports", **params)["results"]]
    assert ids == ([getattr(corpus, expected).pk] if expected else [])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"colour": "red"}, "Parametri sconosciuti: colour"),
        ({"page": "0"}, "page"),
        ({"page": "99999999999999999999999"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
        ({"effectiveness": "9"}, "effectiveness"),
        ({"year": "1900"}, "year"),
        ({"questionnaire": "v1999"}, "questionnaire"),
        ({"q": "x" * 201}, "q"),
        ({"q": ""}, "q"),
        ({"author_category": "robot"}, "author_category"),
    ],
)
def test_bad_query_strings_are_400_with_a_message(client, corpus, params, message):
    error = _get(client, "/reports", status=400, **params)
    assert message in error["detail"]


def test_sort_is_allow_listed(client, corpus):
    oldest = _get(client, "/reports", sort="published_at")["results"]
    assert [r["id"] for r in oldest] == [corpus.legacy.pk, corpus.published.pk]
    assert "sort" in _get(client, "/reports", status=400, sort="password")["detail"]


def test_page_past_the_end_and_repeated_params(client, corpus):
    assert "le pagine sono 1" in _get(client, "/reports", status=404, page=5)["detail"]
    response = client.get(API + "/reports?region=15&region=01")
    assert response.status_code == 400 and "ripetuti" in response.json()["detail"]
    for q in ['"unbalanced', "a & b | !c", "%_%", "'; DROP TABLE reports_report; --", "(*)"]:
        assert client.get(API + "/reports", {"q": q}).status_code == 200


@pytest.mark.parametrize("path", ["/reports/0", "/reports/abc", "/reports/99999999999999999999999"])
def test_bad_ids_are_4xx(client, path):
    assert client.get(API + path).status_code in (400, 404)


def test_huge_id_within_range_is_404(client, corpus):
    assert client.get(API + f"/reports/{2**63 - 1}").status_code == 404


def test_projects_and_their_reports_are_gated(client, corpus):
    listing = _get(client, "/projects")
    assert listing["results"][0]["published_reports"] == 1  # drafts on the same project not counted
    assert _get(client, "/projects", q="caserta")["count"] == 1
    assert _get(client, "/projects", region="15")["count"] == 1
    assert _get(client, "/projects", region="01")["count"] == 0
    assert _get(client, "/projects", province="061", comune="061022")["count"] == 1
    detail = _get(client, f"/projects/{corpus.project.code}")
    assert [r["id"] for r in detail["reports"]] == [corpus.published.pk]
    assert detail["territories"][0]["code"] == "061022"
    reports = _get(client, f"/projects/{corpus.project.code}/reports")
    assert [r["id"] for r in reports["results"]] == [corpus.published.pk]
    assert SECRET not in str(detail) + str(reports)
    _get(client, "/projects/NOPE", status=404)
    _get(client, "/projects", status=400, sort="title")


def test_statistics_count_only_published(client, corpus):
    stats = _get(client, "/statistics")
    assert stats["total"] == 2
    assert stats["by_region"] == [{"key": "15", "label": "Campania", "count": 1}]
    # Judgements are harmonised across versions (the legacy report: "Concluso e utile", "molto utile").
    assert stats["by_progress_state"] == [
        {"key": "4", "label": "In corso con problemi", "count": 1},
        {"key": "6", "label": "Concluso", "count": 1},
    ]
    assert stats["by_effectiveness"] == [
        {"key": "1", "label": "Efficace", "count": 1},
        {"key": "2", "label": "Efficace ma con problemi", "count": 1},
    ]
    assert stats["by_overall_judgement"] == [{"key": "5", "label": "Concluso e utile", "count": 1}]
    assert stats["by_results_judgement"][0]["key"] == "4"
    assert {"key": "2016", "label": "2016", "count": 1} in stats["by_year"]
    assert _get(client, "/statistics", region="15")["total"] == 1
    _get(client, "/statistics", status=400, page="1")


def test_statistics_count_every_facet_in_one_query(client, corpus, django_assert_num_queries):
    """The facets and the total in one query (the search page's `facet_counts`), then the
    questionnaires and the results judgements: three, whatever the number of reports."""
    index_reports(ReportFactory.create_batch(3, published=True))
    with django_assert_num_queries(3):
        stats = _get(client, "/statistics")
    assert stats["total"] == 5
    assert sum(entry["count"] for entry in stats["by_questionnaire"]) == 5


def test_territories_and_questionnaires(client, corpus):
    assert _get(client, "/territories", kind="R")["count"] == 2
    assert [t["code"] for t in _get(client, "/territories", parent="15")["results"]] == ["061"]
    assert _get(client, "/territories", q="cas")["count"] == 2
    _get(client, "/territories", status=400, kind="X")
    versions = {q["code"]: q for q in _get(client, "/questionnaires")}
    gs = next(q for q in versions["v2022"]["questions"] if q["key"] == "gs")
    assert [o["code"] for o in gs["options"]] == ["1", "2", "3", "4"]


def test_openapi_document_and_docs(client):
    schema = client.get(API + "/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/reports",
        "/api/v1/reports/{report_id}",
        "/api/v1/statistics",
        "/api/v1/author/reports",
    ):
        assert path in schema["paths"]
    assert client.get(API + "/docs").status_code == 200


def test_many_reports_list_is_fast_in_queries(client, corpus, django_assert_max_num_queries):
    index_reports(ReportFactory.create_batch(30, published=True, project=corpus.project))
    with django_assert_max_num_queries(12):
        assert len(_get(client, "/reports", page_size=30)["results"]) == 30


@pytest.mark.parametrize(
    "url",
    [
        "/reports?q=%00",
        "/projects?q=a%00b",
        "/territories?q=%00",
        "/reports?%ff=1",
        "/reports?page=1e3",
        "/reports?page=%20",
        "/reports?year=2024.5",
        "/projects?funding_min=molti",
        "/projects?funding_max=nan",
        "/projects?region=campania",
    ],
)
def test_malformed_query_strings_are_400(client, corpus, url):
    response = client.get(API + url)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/projects/%00", "/projects/" + "X" * 300, "/nope", "/reports/1/extra", "/projects/%0A"]
)
def test_unknown_paths_are_json_404(client, corpus, path):
    response = client.get(API + path)
    assert response.status_code == 404
    assert response.json()["detail"]
