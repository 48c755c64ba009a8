"""Search indexes that keep the cost of a query flat as the catalogue grows (PostgreSQL only).

- The full-text GIN index also holds `theme_code` (`btree_gin`): words + theme are intersected inside
  one index scan instead of two bitmaps of 150k+ entries each; without `btree_gin` it stays words only.
- Funding sorts in both directions, ties broken by code, so a sorted page is an index walk that stops
  after the page (the old index had one direction and no tie-breaker, so "funding" ascending sorted
  every match).
All partial on `removed_at IS NULL`, the condition of every public search, so removed projects cost
nothing. Plain CREATE INDEX definitions: the importer drops and recreates them around bulk loads.
"""

from django.db import migrations

SEARCH_WITH_THEME = (
    "CREATE INDEX catalogue_project_search ON catalogue_project "
    "USING gin (search_vector, theme_code) WHERE removed_at IS NULL"
)
SEARCH_WORDS_ONLY = (
    "CREATE INDEX catalogue_project_search ON catalogue_project "
    "USING gin (search_vector) WHERE removed_at IS NULL"
)
FUNDING = [
    "CREATE INDEX catalogue_project_funding ON catalogue_project "
    "(public_funding DESC NULLS LAST, code) WHERE removed_at IS NULL",
    "CREATE INDEX catalogue_project_funding_asc ON catalogue_project "
    "(public_funding ASC NULLS LAST, code) WHERE removed_at IS NULL",
]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX catalogue_project_search")
        cursor.execute("DROP INDEX catalogue_project_funding")
        try:
            cursor.execute("SAVEPOINT monitora_btree_gin")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
            cursor.execute(SEARCH_WITH_THEME)
            cursor.execute("RELEASE SAVEPOINT monitora_btree_gin")
        except Exception:  # noqa: BLE001 - no btree_gin: words only, theme through its own index
            cursor.execute("ROLLBACK TO SAVEPOINT monitora_btree_gin")
            cursor.execute(SEARCH_WORDS_ONLY)
        for statement in FUNDING:
            cursor.execute(statement)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX catalogue_project_search")
        cursor.execute("DROP INDEX catalogue_project_funding")
        cursor.execute("DROP INDEX catalogue_project_funding_asc")
        cursor.execute("CREATE INDEX catalogue_project_search ON catalogue_project USING gin (search_vector)")
        cursor.execute(
            "CREATE INDEX catalogue_project_funding ON catalogue_project (public_funding DESC NULLS LAST)"
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_fast_import")]
    operations = [migrations.RunPython(forward, backward)]
