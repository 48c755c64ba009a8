from django.contrib import admin

from .models import Invitation, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "category_label", "school_name", "created_at"]
    list_filter = ["category"]
    search_fields = ["name", "school_name", "external_id", "handle"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["team", "email", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = ["token_hash", "accepted_at", "accepted_by"]
    raw_id_fields = ["team", "invited_by", "accepted_by"]
