"""Who may do what with a team (registered into `core.permissions` by TeamsConfig.ready)."""

from typing import Any

from monitora.core.permissions import Rule, is_active, is_admin, is_editor

from .models import Membership


def team_role(user: Any, team: Any) -> str | None:
    """'owner', 'member' or None. Cached on the user object for the request."""
    if not is_active(user) or team is None:
        return None
    cache = user.__dict__.setdefault("_monitora_team_roles", {})
    if team.pk not in cache:
        cache[team.pk] = (
            Membership.objects.filter(team_id=team.pk, user_id=user.pk).values_list("role", flat=True).first()
        )
    return cache[team.pk]


RULES: dict[str, Rule] = {
    # obj: Team
    "team.view": lambda u, t: team_role(u, t) is not None or is_editor(u),
    "team.create_report": lambda u, t: team_role(u, t) is not None,
    "team.manage": lambda u, t: team_role(u, t) == "owner" or is_admin(u),
}
