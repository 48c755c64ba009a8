from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender, connection, **kwargs):
    """The FTS5 triggers call monitora_fts_doc(): every SQLite connection must know it."""
    if connection.vendor == "sqlite":
        from monitora.catalogue.text import fts_document

        connection.connection.create_function("monitora_fts_doc", 3, fts_document, deterministic=True)


class CatalogueConfig(AppConfig):
    name = "monitora.catalogue"
    label = "catalogue"
    verbose_name = "Catalogo OpenCoesione"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="catalogue_sqlite_functions")
