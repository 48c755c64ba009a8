"""Admin: catalogue projects and territories are imported data (read-only); import runs are the log."""

from django.contrib import admin

from .models import ImportRun, Project, Territory


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """Runs are written by `manage.py import_catalogue` only."""

    list_display = [
        "started_at",
        "file_name",
        "status",
        "rows_read",
        "inserted",
        "updated",
        "unchanged",
        "rejected",
        "removed",
        "duration_seconds",
    ]
    list_filter = ["status"]
    search_fields = ["file_name", "file_hash"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "theme", "state", "cycle", "public_funding", "removed_at"]
    list_filter = ["state", "cycle", "theme"]
    search_fields = ["=code", "=cup", "title"]
    show_full_result_count = False  # counting millions of rows on every page is wasted work


@admin.register(Territory)
class TerritoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "code", "abbreviation", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "=code"]
    list_select_related = ["parent"]
