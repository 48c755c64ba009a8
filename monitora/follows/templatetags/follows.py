"""`{% follow_button kind target %}` and `{% follow_filters filters %}`: the "Segui" button of a page.

Signed-in people get the button (or "you follow this"); anonymous people the Atom feed link and
a link to sign in. Pages only name what they show: no view needs to know about follows.
"""

from django import template

from monitora.core.permissions import can
from monitora.search.filters import ReportFilters

from ..models import Delivery, Follow
from ..targets import search_query, target_resolve

register = template.Library()


@register.inclusion_tag("follows/_button.html", takes_context=True)
def follow_button(context, kind: str, target, link: bool = False) -> dict:
    """`link=True` inside another form (the report search): a link to the follow page, not a form."""
    request = context.get("request")
    user = getattr(request, "user", None)
    resolved = target_resolve(kind, str(target or ""))
    following = None
    if resolved is not None and user is not None and user.is_authenticated:
        following = Follow.objects.filter(user=user, kind=resolved.kind, target=resolved.target).first()
    return {
        "t": resolved,
        "link": link,
        "following": following,
        "may_follow": can(user, "follow.create"),
        "signed_in": bool(user and user.is_authenticated),
        "next": request.get_full_path() if request else "/",
        "deliveries": Delivery.choices,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("follows/_filters.html", takes_context=True)
def follow_filters(context, filters: ReportFilters | None) -> dict:
    """A report search: follow the search itself, and its one region, province or theme if any."""
    buttons = []
    if filters:
        buttons.append(("search", search_query(filters)))
        values = dict(filters.items())
        for name, kind in (("region", "territory"), ("province", "territory"), ("theme", "theme")):
            if len(values.get(name, ())) == 1:
                buttons.append((kind, values[name][0]))
    return {"buttons": buttons, "request": context.get("request")}
