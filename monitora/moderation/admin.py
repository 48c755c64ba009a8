"""Admin views of the review data. Writes that are workflow steps go through services + `can()`."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from monitora.reports import services
from monitora.reports.models import AdministrationResponse, ReportRevision, ReviewComment


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["report", "field_key", "text", "author", "resolved_at", "created_at"]
    list_filter = ["resolved_at"]
    raw_id_fields = ["report", "author", "resolved_by"]
    readonly_fields = ["resolved_at", "resolved_by"]


@admin.register(ReportRevision)
class ReportRevisionAdmin(admin.ModelAdmin):
    list_display = ["report", "status", "created_by", "created_at", "reviewed_by", "reviewed_at"]
    list_filter = ["status"]
    readonly_fields = [
        "report",
        "proposed",
        "status",
        "base_lock_version",
        "created_by",
        "reviewed_by",
        "reviewed_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(AdministrationResponse)
class AdministrationResponseAdmin(admin.ModelAdmin):
    list_display = ["report", "administration_name", "author", "created_at", "hidden_at"]
    list_filter = ["hidden_at"]
    raw_id_fields = ["report", "author"]
    readonly_fields = ["hidden_at"]
    actions = ["hide"]

    @admin.action(description=_("Nascondi le risposte selezionate"))
    def hide(self, request, queryset):
        done = 0
        for response in queryset.filter(hidden_at__isnull=True):
            try:
                services.response_hide(response=response, by=request.user, reason="admin")
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{response}: {exc}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(n)d risposte nascoste.") % {"n": done})
