"""kill -9 of a real import process on PostgreSQL leaves the catalogue exactly as it was."""

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.models import ImportRun, Project

from .conftest import esteso_row


def kill_import_while_copying(path, settle: float = 1.0) -> int:
    """Start `import_catalogue` in another process, kill -9 it during its COPY; return its pid.

    A second connection holds a write lock on the projects table meanwhile, so a fast machine that
    finishes the COPY within `settle` still finds the import waiting before its merge, never past
    its commit: the kill always lands mid-import."""
    db = connection.settings_dict
    blocker = psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    blocker.execute("LOCK TABLE catalogue_project IN EXCLUSIVE MODE")  # reads pass, writes wait
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    proc = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "import_catalogue", str(path), "--full-release", "--workers", "1"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        staged = False
        while time.monotonic() < deadline and proc.poll() is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND query LIKE 'COPY catalogue_staging%%' AND state <> 'idle'"
                )
                staged = cursor.fetchone()[0] > 0
            if staged:
                time.sleep(settle)  # let it write a part of the staging table
                break
            time.sleep(0.05)
        assert staged and proc.poll() is None, "the import finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        blocker.close()  # rolls back; the dead client's backend can never commit
    assert proc.returncode == -signal.SIGKILL
    # The server notices the dead client and rolls its transaction back.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() "
                "AND query LIKE '%%catalogue_%%'"
            )
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(0.2)
    return proc.pid


def staging_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'catalogue_staging%%'")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_kill_9_during_import_changes_nothing(territories, esteso_file):
    if connection.vendor != "postgresql":
        pytest.skip("kill -9 of a second process needs a shared server database")
    catalogue_import(paths=[esteso_file([esteso_row("KEEP1"), esteso_row("KEEP2")], "base.csv")])
    before = list(Project.objects.order_by("code").values_list("code", "title", "row_hash", "removed_at"))
    big = esteso_file(
        [esteso_row(f"BIG{i:06d}") for i in range(40000)] + [esteso_row("KEEP1", OC_TITOLO_PROGETTO="x")],
        "big.csv",
    )
    pid = kill_import_while_copying(big)
    after = list(Project.objects.order_by("code").values_list("code", "title", "row_hash", "removed_at"))
    assert after == before
    killed = ImportRun.objects.get(pid=pid)
    assert killed.status == "running"
    # The next run notices the dead process and records the interruption.
    catalogue_import(paths=[esteso_file([esteso_row("KEEP1"), esteso_row("KEEP2")], "base.csv")])
    killed.refresh_from_db()
    assert killed.status == "interrupted"
    assert Project.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_kill_9_during_a_bulk_load_leaves_the_empty_catalogue(territories, esteso_file):
    """Into an empty catalogue too: the loaders' committed staging rows never reach the catalogue."""
    if connection.vendor != "postgresql":
        pytest.skip("kill -9 of a second process needs a shared server database")
    big = esteso_file([esteso_row(f"BIG{i:06d}") for i in range(80000)], "big.csv")
    kill_import_while_copying(big, settle=0.3)
    assert Project.objects.count() == 0
    assert staging_tables()  # the killed run's leftovers, with the rows its loaders committed
    run = catalogue_import(paths=[esteso_file([esteso_row("NEXT1"), esteso_row("NEXT2")], "next.csv")])
    assert (run.status, run.inserted) == ("succeeded", 2)
    assert sorted(Project.objects.values_list("code", flat=True)) == ["NEXT1", "NEXT2"]
    assert staging_tables() == []
