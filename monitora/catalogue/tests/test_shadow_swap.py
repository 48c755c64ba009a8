"""Bulk load into an empty PostgreSQL catalogue: the shadow tables that replace the originals must
be indistinguishable from what the migrations made, and anything unusual falls back safely."""

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection

from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.models import Project
from monitora.reports.tests.factories import ReportFactory

from .conftest import esteso_row

# The swap happens only when the import owns its transaction, as in production.
pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="shadow tables are the PostgreSQL bulk path"
    ),
    pytest.mark.django_db(transaction=True),
]

TABLES = ["catalogue_project", "catalogue_project_territories"]


def schema() -> dict:
    """Columns, constraints (of and on the tables), indexes, triggers, grants, sequences."""
    queries = {
        "columns": "SELECT attrelid::regclass::text, attnum, attname, format_type(atttypid, atttypmod), "
        "attnotnull, attidentity, attgenerated FROM pg_attribute "
        "WHERE attrelid = ANY(%(t)s::regclass[]) AND attnum > 0 AND NOT attisdropped",
        "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint "
        "WHERE conrelid = ANY(%(t)s::regclass[]) OR confrelid = ANY(%(t)s::regclass[])",
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%(t)s)",
        "triggers": "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE tgrelid = ANY(%(t)s::regclass[]) AND NOT tgisinternal",
        "grants": "SELECT c.relname, a.grantor::regrole::text, a.grantee, a.privilege_type "
        "FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = ANY(%(t)s::regclass[])",
        "sequences": "SELECT t, pg_get_serial_sequence(t, 'id') FROM unnest(%(t)s::text[]) t",
    }
    found = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, {"t": TABLES})
            found[name] = sorted(cursor.fetchall())
    return found


def staging_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'catalogue_staging%%'")
        return [row[0] for row in cursor.fetchall()]


def test_swapped_tables_match_the_migrated_schema(territories, esteso_file):
    call_command("sync_questionnaires", stdout=io.StringIO())  # flushed by earlier transactional tests
    with connection.cursor() as cursor:
        cursor.execute("GRANT SELECT ON catalogue_project TO PUBLIC")  # grants are carried over too
    try:
        before = schema()
        run = catalogue_import(
            paths=[esteso_file([esteso_row(f"W{i}", COD_COMUNE="001272") for i in range(50)])]
        )
        assert (run.status, run.inserted) == ("succeeded", 50)
        assert schema() == before
        assert staging_tables() == []
        # The sequence goes on after the loaded ids; links and triggers work on the new tables.
        highest = max(Project.objects.values_list("id", flat=True))
        created = Project.objects.create(code="NEW", title="Biblioteca civica")
        assert created.id > highest
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM catalogue_project "
                "WHERE search_vector @@ plainto_tsquery('monitora_it', 'biblioteche')"
            )
            assert cursor.fetchone()[0] == 1
        assert Project.objects.filter(territories__code="001272").count() == 50
        # Reports still point at the catalogue through an enforced foreign key.
        report = ReportFactory(project=created)
        assert report.project_id == created.id
        with pytest.raises(IntegrityError, match="violates foreign key"), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("UPDATE reports_report SET project_id = -1 WHERE id = %s", [report.id])
    finally:  # transactional tests keep schema changes
        with connection.cursor() as cursor:
            cursor.execute("REVOKE SELECT ON catalogue_project FROM PUBLIC")


@pytest.mark.parametrize(
    ("setup", "undo", "reason", "check", "expected"),
    [
        (
            "CREATE VIEW project_codes AS SELECT code FROM catalogue_project",
            "DROP VIEW project_codes",
            "oggetti dipendenti",
            "SELECT array_agg(code ORDER BY code) FROM project_codes",
            ["S1", "S2"],
        ),
        (
            "ALTER TABLE catalogue_project SET (autovacuum_vacuum_scale_factor = 0.05)",
            "ALTER TABLE catalogue_project RESET (autovacuum_vacuum_scale_factor)",
            "impostazioni proprie",
            "SELECT reloptions FROM pg_class WHERE oid = 'catalogue_project'::regclass",
            ["autovacuum_vacuum_scale_factor=0.05"],
        ),
    ],
    ids=["view", "storage-parameter"],
)
def test_what_a_swap_would_lose_makes_the_bulk_load_use_the_staging_table(
    territories, esteso_file, caplog, setup, undo, reason, check, expected
):
    with connection.cursor() as cursor:
        cursor.execute(setup)
    try:
        run = catalogue_import(paths=[esteso_file([esteso_row("S1"), esteso_row("S2")])])
        assert (run.status, run.inserted) == ("succeeded", 2)
        assert reason in caplog.text
        with connection.cursor() as cursor:  # the view or setting is still there, and works
            cursor.execute(check)
            assert cursor.fetchone()[0] == expected
    finally:  # transactional tests keep schema changes: put the table back
        with connection.cursor() as cursor:
            cursor.execute(undo)


def test_dry_run_of_a_bulk_load_leaves_nothing(territories, esteso_file):
    before = schema()
    run = catalogue_import(paths=[esteso_file([esteso_row("D1")])], dry_run=True)
    assert (run.status, run.inserted) == ("dry_run", 1)
    assert Project.objects.count() == 0
    assert schema() == before
    assert staging_tables() == []


def test_inside_a_callers_transaction_the_staging_path_is_used(territories, esteso_file, caplog):
    from django.db import transaction

    with transaction.atomic():
        before = schema()
        run = catalogue_import(paths=[esteso_file([esteso_row("T1")])])
        assert (run.status, run.inserted) == ("succeeded", 1)
        assert staging_tables() == []
        # Not swapped: the very same tables (same OIDs) hold the row.
        assert schema() == before
        with connection.cursor() as cursor:
            cursor.execute("SELECT 'catalogue_project'::regclass::oid")
            oid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'catalogue_project'::regclass::oid")
        assert cursor.fetchone()[0] == oid
    assert Project.objects.get().code == "T1"


def test_bulk_load_rereads_a_file_with_a_malformed_record_and_settles_duplicates(
    territories, esteso_file, monkeypatch
):
    from monitora.catalogue.importing import frames

    monkeypatch.setattr(frames, "BLOCK_BYTES", 16 * 1024)
    monkeypatch.setattr(frames, "FRAME_ROWS", 50)  # batches reach the shadows before the bad record
    before = schema()
    first = esteso_file([esteso_row(f"F{i:04d}") for i in range(300)], "first.csv")
    second = esteso_file([esteso_row(f"G{i:04d}") for i in range(500)] + [esteso_row("F0007")], "second.csv")
    lines = second.read_bytes().split(b"\r\n")
    lines[401] = b'"G0400";"ROTTA"'  # record 400 lost its other columns
    second.write_bytes(b"\r\n".join(lines))
    run = catalogue_import(paths=[first, second], max_errors=5)
    assert (run.status, run.rows_read, run.inserted, run.rejected) == ("succeeded", 801, 799, 2)
    assert [(e["file"], e["line"]) for e in run.errors] == [("second.csv", 402), ("second.csv", 502)]
    assert Project.objects.count() == 799
    assert not Project.objects.filter(code="G0400").exists()
    assert Project.objects.filter(code__startswith="G").count() == 499
    assert schema() == before
    assert staging_tables() == []
