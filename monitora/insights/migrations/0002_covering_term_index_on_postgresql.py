"""On PostgreSQL the stem index also carries report_id, so the similar-reports panel reads a stem's
strongest reports with index-only scans. SQLite has no INCLUDE: the index stays as declared."""

from django.db import migrations

COVERING = (
    "DROP INDEX IF EXISTS insights_term_weight; "
    "CREATE INDEX insights_term_weight ON insights_reportterm (term, weight DESC) INCLUDE (report_id)"
)
PLAIN = (
    "DROP INDEX IF EXISTS insights_term_weight; "
    "CREATE INDEX insights_term_weight ON insights_reportterm (term, weight DESC)"
)


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_official_changes_discrepancies_similarity")]

    operations = [migrations.RunPython(_run(COVERING), _run(PLAIN))]
