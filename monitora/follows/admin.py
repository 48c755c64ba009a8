"""Operators see deliveries (status, attempts, last error) to spot a failing mail server; who
follows what stays private (no Follow admin, no target in these lists)."""

from django.contrib import admin

from .models import Digest, FollowEvent, Notification


@admin.register(FollowEvent)
class FollowEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "title")
    list_filter = ("kind",)
    search_fields = ("title", "key")
    readonly_fields = ("created_at", "kind", "key", "title", "url")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "delivery", "status", "attempts", "last_error")
    list_filter = ("status", "delivery")
    fields = ("created_at", "event", "delivery", "digest", "status", "sent_at", "attempts", "last_error")
    readonly_fields = fields


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("created_at", "period", "period_key", "status", "attempts", "last_error")
    list_filter = ("status", "period")
    fields = ("period", "period_key", "status", "created_at", "sent_at", "attempts", "last_error")
    readonly_fields = fields
