from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Read-only: files enter only through attachment_create (content checks, metadata stripping)."""

    list_display = ["original_name", "report", "kind", "content_type", "size", "is_cover", "created_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "sha256", "report__title"]
    # The storage name is never shown as a link: private files are reachable only through the
    # permission-checked view.
    exclude = ["file", "thumbnails"]
    readonly_fields = ["download"]

    @admin.display(description=_("file"))
    def download(self, obj: Attachment) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("attachments:file", args=[obj.pk]), obj.original_name
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
