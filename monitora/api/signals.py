"""A changed password revokes the user's API tokens (issue 16, finding 10), whatever the path:
the site's change and reset forms, the admin, `manage.py changepassword`."""

from typing import Any


def revoke_tokens_on_password_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "password" not in update_fields:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        from .services import api_tokens_revoke_all

        # At once, not on commit: should the save then fail, a revoked token is the safe side.
        api_tokens_revoke_all(user=instance, reason="password_changed")
