"""Read-only admin: notes change only through the queue's audited services."""

from django.contrib import admin

from monitora.reports.admin import ReadOnlyAdminMixin

from .models import ImportRun, QualityNote


class ReadOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(QualityNote)
class QualityNoteAdmin(ReadOnly):
    list_display = ["report", "column", "kind", "status", "line", "import_run"]
    list_filter = ["kind", "status", "import_run"]
    search_fields = ["column", "raw_value", "report__title", "report__legacy_id"]
    list_select_related = ["report", "import_run"]
    raw_id_fields = ["report"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnly):
    list_display = ["file_name", "source", "created_at"]
