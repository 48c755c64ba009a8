import os

from django.db import connection


def test_ci_runs_on_the_database_it_asks_for(db):
    """`.ci/run` sets REQUIRE_POSTGRES: a silent fallback to SQLite must fail, never skip."""
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor in {"sqlite", "postgresql"}
