from django.contrib import admin

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Read-only: files enter only through attachment_create (content checks, metadata stripping)."""

    list_display = ["original_name", "report", "kind", "content_type", "size", "is_cover", "created_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "sha256", "report__title"]
    raw_id_fields = ["report", "uploaded_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
