from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .services import api_token_create, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username", "user__email"]
    fields = ["user", "name", "prefix", "last_used_at", "revoked_at", "created_at"]
    readonly_fields = ["prefix", "last_used_at", "revoked_at", "created_at"]
    raw_id_fields = ["user"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user", "name"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, raw = api_token_create(user=obj.user, name=obj.name, actor=request.user)
        obj.pk = token.pk
        obj.prefix, obj.token_hash = token.prefix, token.token_hash
        messages.warning(
            request, _("Token creato. Copialo ora, non sarà più mostrato: %(token)s") % {"token": raw}
        )

    @admin.action(description=_("Revoca i token selezionati"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("Token revocati: %(n)d") % {"n": queryset.count()})
