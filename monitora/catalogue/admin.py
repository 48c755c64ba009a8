from django.contrib import admin

from .models import ImportRun, Project, Territory


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
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
    )
    list_filter = ("status",)
    search_fields = ("file_name", "file_hash")
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False  # runs are created by `manage.py import_catalogue` only

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "cup", "title", "theme", "state", "public_funding", "removed_at")
    list_filter = ("cycle", "theme", "state")
    search_fields = ("=code", "=cup")
    readonly_fields = ("row_hash", "created_at", "updated_at")
    raw_id_fields = ("territories",)
    show_full_result_count = False  # counting millions of rows on every page is wasted work


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "abbreviation", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "=code")
    raw_id_fields = ("parent",)
