"""Full-text structures that Django models cannot express, one per database vendor."""

from django.db import migrations

from monitora.search.operations import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        VendorRunSQL(
            "postgresql",
            "CREATE INDEX search_doc_vector_gin ON search_reportsearchdocument USING gin (vector);",
            "DROP INDEX IF EXISTS search_doc_vector_gin;",
        ),
        VendorRunSQL(
            "sqlite",
            # Words arrive already folded and Snowball-stemmed (monitora/search/text.py);
            # unicode61 with remove_diacritics 2 folds anything that slipped through.
            "CREATE VIRTUAL TABLE search_report_fts USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 2');",
            "DROP TABLE IF EXISTS search_report_fts;",
        ),
    ]
