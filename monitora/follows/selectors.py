"""Reads of follows: only ever one person's own (see permissions.py)."""

from typing import Any

from django.db.models import QuerySet

from .models import Follow, Notification


def follows_of(user: Any) -> QuerySet[Follow]:
    return Follow.objects.filter(user_id=user.pk).order_by("kind", "label")


def follow_data_export(user: Any) -> dict[str, list[dict]]:
    """A person's follows and the notifications sent to them, for the GDPR data download."""
    return {
        "follows": [
            {
                "kind": f.kind,
                "target": f.target,
                "label": f.label,
                "delivery": f.delivery,
                "since": f.created_at.isoformat(),
            }
            for f in follows_of(user)
        ],
        "notifications": [
            {
                "at": n.created_at.isoformat(),
                "event": n.event.title,
                "url": n.event.url,
                "delivery": n.delivery,
                "status": n.status,
            }
            for n in Notification.objects.filter(user_id=user.pk)
            .select_related("event")
            .order_by("created_at")[:10000]
        ],
    }
