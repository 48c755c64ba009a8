"""`{% can "report.publish" report as may_publish %}`: templates ask the permission layer, never
`user.is_staff`, so a page shows exactly the buttons whose services would accept the request."""

from typing import Any

from django import template

from monitora.core import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    return permissions.can(user, action, obj)
