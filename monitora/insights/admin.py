from django.contrib import admin

from .models import Discrepancy, OfficialChange


@admin.register(OfficialChange)
class OfficialChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "field", "old", "new", "recorded_at", "import_run"]
    list_filter = ["field"]
    raw_id_fields = ["project", "import_run"]
    readonly_fields = [f.name for f in OfficialChange._meta.fields]


@admin.register(Discrepancy)
class DiscrepancyAdmin(admin.ModelAdmin):
    """Read-only: findings are computed; dismissal goes through the report page (audited service)."""

    list_display = ["rule", "report", "basis", "found_at", "resolved_at", "dismissed_at"]
    list_filter = ["rule", "basis"]
    raw_id_fields = ["report", "project", "dismissed_by"]
    readonly_fields = [f.name for f in Discrepancy._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
