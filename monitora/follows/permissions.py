"""Who may act on follows (registered into `core.permissions` by FollowsConfig.ready).

Follows are private: only their owner sees or changes them, editors and administrators included
(operators see delivery failures in the admin, never who follows what).
"""

from typing import Any

from monitora.core.permissions import Rule, is_active


def _own(user: Any, follow: Any) -> bool:
    return is_active(user) and follow is not None and follow.user_id == user.pk


RULES: dict[str, Rule] = {
    "follow.create": lambda u, o: is_active(u),
    # obj: Follow
    "follow.view": _own,
    "follow.change": _own,
}
