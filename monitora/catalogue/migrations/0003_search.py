"""Full-text search structures, different per database (the ORM does not model them).

PostgreSQL: a `monitora_it` text search configuration (Italian stemming, plus `unaccent` when the
extension can be created) and a stored generated `search_vector` column with a GIN index, computed
by the database itself on every insert/update (no trigger, so bulk merges stay set-based).
SQLite: an FTS5 table kept in sync by triggers that call `monitora_fts_doc()`, a Python function
registered on every connection (`monitora.catalogue.apps`): unaccented, Italian-stemmed tokens.
"""

from django.db import migrations

PG_FORWARD = """
ALTER TABLE catalogue_project ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('monitora_it'::regconfig, coalesce(title, '')), 'A') ||
    setweight(to_tsvector('monitora_it'::regconfig, coalesce(summary, '') || ' ' || coalesce(procedure, '')), 'B')
) STORED;
CREATE INDEX catalogue_project_search ON catalogue_project USING gin (search_vector);
CREATE INDEX catalogue_project_funding ON catalogue_project (public_funding DESC NULLS LAST);
"""

SQLITE_FORWARD = [
    # SQLite sorts NULLs first ascending, so DESC already puts them last.
    "CREATE INDEX catalogue_project_funding ON catalogue_project (public_funding DESC)",
    "CREATE VIRTUAL TABLE catalogue_project_fts USING fts5(doc, tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER catalogue_project_fts_ai AFTER INSERT ON catalogue_project BEGIN
        INSERT INTO catalogue_project_fts(rowid, doc)
        VALUES (new.id, monitora_fts_doc(new.title, new.summary, new.procedure)); END""",
    """CREATE TRIGGER catalogue_project_fts_au AFTER UPDATE OF title, summary, procedure ON catalogue_project
        BEGIN UPDATE catalogue_project_fts SET doc = monitora_fts_doc(new.title, new.summary, new.procedure)
        WHERE rowid = new.id; END""",
    """CREATE TRIGGER catalogue_project_fts_ad AFTER DELETE ON catalogue_project BEGIN
        DELETE FROM catalogue_project_fts WHERE rowid = old.id; END""",
]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TEXT SEARCH CONFIGURATION monitora_it (COPY = pg_catalog.italian)")
            try:
                cursor.execute("SAVEPOINT monitora_unaccent")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
                cursor.execute(
                    "ALTER TEXT SEARCH CONFIGURATION monitora_it ALTER MAPPING FOR hword, hword_part, word "
                    "WITH unaccent, italian_stem"
                )
                cursor.execute("RELEASE SAVEPOINT monitora_unaccent")
            except Exception:  # noqa: BLE001 - no unaccent: Italian stemming still folds case
                cursor.execute("ROLLBACK TO SAVEPOINT monitora_unaccent")
            cursor.execute(PG_FORWARD)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_FORWARD:
                cursor.execute(statement)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE catalogue_project DROP COLUMN search_vector")
            cursor.execute("DROP INDEX catalogue_project_funding")
            cursor.execute("DROP TEXT SEARCH CONFIGURATION monitora_it")
        elif connection.vendor == "sqlite":
            for name in ("ai", "au", "ad"):
                cursor.execute(f"DROP TRIGGER catalogue_project_fts_{name}")
            cursor.execute("DROP TABLE catalogue_project_fts")
            cursor.execute("DROP INDEX catalogue_project_funding")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_import_run_and_fields")]
    operations = [migrations.RunPython(forward, backward)]
