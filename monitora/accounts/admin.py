from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Profile
from .services import representative_verify


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "display_name",
        "handle",
        "author_category",
        "administration_name",
        "representative_verified_at",
    ]
    list_filter = ["author_category", "representative_verified_at"]
    search_fields = ["user__email", "display_name", "handle", "administration_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["representative_verified_at", "representative_verified_by"]
    actions = ["verify_representative"]

    @admin.action(description=_("Verifica come rappresentante dell'amministrazione indicata"))
    def verify_representative(self, request, queryset):
        for profile in queryset.select_related("user"):
            try:
                representative_verify(
                    user=profile.user, by=request.user, administration_name=profile.administration_name
                )
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{profile}: {exc}", messages.ERROR)
