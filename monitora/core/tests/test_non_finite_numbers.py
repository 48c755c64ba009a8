"""Every numeric parameter of every page and API endpoint refuses non-finite values with a clear
400 (issue 16, finding 3: `/progetti/cerca/?min=NaN` raised an uncaught ValidationError, a 500).

The API's numeric parameters are read from its OpenAPI schema, so a new one is covered without
editing this file; the HTML pages' are listed (with the string filters that hold numbers, such as
the year). Hypothesis varies the spelling: case, sign, NaN payloads, surrounding spaces.
"""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitora.accounts.tests.factories import UserFactory
from monitora.api.api import api
from monitora.api.services import api_token_create
from monitora.core.numbers import is_non_finite, parse_amount

pytestmark = pytest.mark.django_db


@st.composite
def non_finite(draw) -> str:
    word = draw(st.sampled_from(["nan", "snan", "qnan", "inf", "infinity"]))
    word = "".join(c.upper() if draw(st.booleans()) else c for c in word)
    if word.lower().endswith("nan") and draw(st.booleans()):
        word += str(draw(st.integers(0, 999)))
    sign = draw(st.sampled_from(["", "+", "-"]))
    space = draw(st.sampled_from(["", " ", "  "]))
    return f"{space}{sign}{word}{space}"


HYPOTHESIS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# (page, parameter, other parameters that make the page use it)
HTML_PARAMETERS = [
    ("/progetti/cerca/", "min", {"q": "strada"}),
    ("/progetti/cerca/", "max", {"q": "strada"}),
    ("/progetti/cerca/", "funding_min", {"q": "strada"}),
    ("/progetti/cerca/", "funding_max", {"q": "strada"}),
    ("/progetti/cerca/", "size", {"q": "strada"}),
    ("/progetti/cerca/", "page_size", {"q": "strada"}),
    ("/progetti/cerca/", "page", {"q": "strada"}),
    ("/cerca/", "pagina", {}),
    ("/cerca/", "per_pagina", {}),
    ("/cerca/", "anno", {}),
    ("/cerca/mappa.geojson", "anno", {}),
    ("/cerca/regioni.geojson", "anno", {}),
    ("/statistiche/", "anno", {}),
    ("/statistiche/per-anno.csv", "anno", {}),
    ("/report/", "page", {}),
    ("/open-data/reports.csv", "year", {}),
    ("/redazione/qualita-dati/", "pagina", {}),
    ("/redazione/qualita-dati/", "importazione", {}),
]


def _api_numeric_parameters() -> list[tuple[str, str, str, bool]]:
    """(method, path, parameter, needs a token) for every integer/number parameter of the API."""
    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                schema = param["schema"]
                types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
                numeric = types & {"integer", "number"} or param["name"] == "year"
                if numeric and param["in"] == "query" and method == "get":
                    found.append((method, path, param["name"], bool(operation.get("security"))))
    return found


API_PARAMETERS = _api_numeric_parameters()


def test_the_api_has_numeric_parameters_to_check():
    names = {name for _m, _p, name, _a in API_PARAMETERS}
    assert {"page", "page_size", "funding_min", "funding_max", "year"} <= names


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(("page", "name", "extra"), HTML_PARAMETERS)
def test_html_pages_refuse_non_finite_numbers(staff_client, page, name, extra):
    @HYPOTHESIS
    @given(value=non_finite())
    def check(value):
        response = staff_client.get(page, {**extra, name: value})
        assert response.status_code == 400, (page, name, value, response.status_code)
        assert name in response.content.decode()

    check()


@pytest.mark.parametrize(("method", "path", "name", "auth"), API_PARAMETERS)
def test_api_refuses_non_finite_numbers(method, path, name, auth):
    headers = {}
    if auth:
        _token, raw = api_token_create(user=UserFactory(), name="test")
        headers["Authorization"] = f"Bearer {raw}"
    url = path.replace("{code}", "X").replace("{report_id}", "1")

    @HYPOTHESIS
    @given(value=non_finite())
    def check(value):
        response = getattr(Client(), method)(url, {name: value}, headers=headers)
        assert response.status_code == 400, (url, name, value, response.status_code)
        body = response.json()
        assert name in body["detail"] + " ".join(body["errors"])

    check()


@HYPOTHESIS
@given(value=non_finite())
def test_helpers_recognise_every_spelling(value):
    assert is_non_finite(value)
    with pytest.raises(Exception, match="numero finito"):
        parse_amount(value, name="min")


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("150000", "150000"), ("1.500.000,50", "1500000.50"), ("1500000.5", "1500000.5"), ("1.000", "1000")],
)
def test_amounts_the_italian_or_the_plain_way(raw, amount):
    from decimal import Decimal

    assert parse_amount(raw, name="min") == Decimal(amount)


@pytest.mark.parametrize("raw", ["1e999", "abc", "-5", "1,2,3", "10" * 20])
def test_other_non_amounts_are_a_clear_400_too(client, raw):
    response = client.get("/progetti/cerca/", {"q": "strada", "min": raw})
    assert response.status_code == 400
    assert "«min»" in response.content.decode()
