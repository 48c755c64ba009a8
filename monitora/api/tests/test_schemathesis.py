"""Property-based run of the whole API against its own OpenAPI document (in-process, WSGI).

Bounded examples per operation keep it well under a minute; it fails on any 5xx, on an
undocumented status code or content type, and on a body that does not match the schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from config.wsgi import application
from monitora.api.services import api_token_create
from monitora.api.tests.corpus import build_api_corpus
from monitora.teams.models import Membership
from monitora.teams.tests.factories import TeamFactory

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


# Loading the document needs no database: it is generated from the code.
# The coverage phase adds hundreds of boundary cases per operation; examples + fuzzing with a
# fixed budget keep the run under a minute on a shared CI machine.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}, "seed": 20261126})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def keep_db_connection():
    """Like Django's test Client: the WSGI handler must not close the connection at request end,
    which on PostgreSQL would drop the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(django_user_model, keep_db_connection):
    build_api_corpus()
    user = django_user_model.objects.create_user(username="fuzz", password="pw-fuzz-123")
    team = TeamFactory(slug="fuzz")
    Membership.objects.create(team=team, user=user)
    return {"Authorization": f"Bearer {api_token_create(user=user, name='fuzz')[1]}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
