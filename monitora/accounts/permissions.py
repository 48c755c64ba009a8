"""Who may act on accounts (registered into `core.permissions` by AccountsConfig.ready)."""

from typing import Any

from monitora.core.permissions import Rule, is_active, is_admin, is_editor


def _export_private(user: Any, obj: Any) -> bool:
    if obj is None:
        return is_admin(user)
    return is_active(user) and (obj.pk == user.pk or is_admin(user))


RULES: dict[str, Rule] = {
    # obj: User or None
    "user.verify_representative": lambda u, o: is_editor(u),
    "data.export_private": _export_private,
    "account.delete": lambda u, o: is_active(u) and o is not None and o.pk == u.pk,
}
