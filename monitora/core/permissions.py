"""The one permission layer: `can(user, action, obj)` for views, API, admin actions and services.

The rules live with their apps (reports/permissions.py, teams/permissions.py, ...) and are
registered at start-up. Fail-closed: an action missing from RULES is denied, an inactive or
anonymous user gets only what a rule explicitly grants, and any rule that raises is a denial.
Workflow states are checked again by the services (with a clear message); `can` answers "may this
person do this to this object".
"""

import inspect
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

logger = logging.getLogger(__name__)


def is_active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user: Any) -> bool:
    return is_active(user) and bool(user.is_superuser)


def is_editor(user: Any) -> bool:
    """Editors (redazione) are staff accounts; administrators are editors too."""
    return is_active(user) and bool(user.is_staff or user.is_superuser)


Rule = Callable[[Any, Any], bool]

# action -> rule(user, obj). Filled by the apps that own the objects (`register` in their
# AppConfig.ready()): core knows users and the audit log, nothing of reports or teams.
RULES: dict[str, Rule] = {
    "auditlog.view": lambda u, o: is_editor(u),
}


def register(rules: dict[str, Rule]) -> None:
    """Add an app's rules; two apps claiming one action is a programming error."""
    clash = sorted(a for a in rules if a in RULES and RULES[a] is not rules[a])
    if clash:
        raise ValueError(f"permission actions registered twice: {clash}")
    RULES.update(rules)


def can(user: Any, action: str, obj: Any = None) -> bool:
    rule = RULES.get(action)
    if rule is None:
        logger.warning("permission check for unknown action %r denied", action)
        return False
    try:
        return bool(rule(user, obj))
    except Exception:  # a broken rule must deny, never allow
        logger.exception("permission rule %r failed; denied", action)
        return False


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `can`: services call it so every entry point is covered."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


def _accepted_kwargs(func: Callable) -> set[str] | None:
    """The keyword names `func` takes, or None when it takes any (**kwargs)."""
    params = inspect.signature(func).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return {p.name for p in params}


def permission_required(action: str, get_obj: Callable[..., Any] | None = None) -> Callable:
    """View decorator: anonymous users go to login, others get 403 when `can` says no.

    `get_obj(request, **kwargs)` loads the object (raising Http404 when it does not exist); it is
    stored on `request.perm_obj` so the view does not load it twice.
    """

    accepted = _accepted_kwargs(get_obj) if get_obj else None

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # The loader gets only the URL arguments it names: a view with more of them (a team
            # and a member id) must not turn every request into a TypeError.
            loader_kwargs = kwargs if accepted is None else {k: v for k, v in kwargs.items() if k in accepted}
            obj = get_obj(request, **loader_kwargs) if get_obj else None
            if not can(request.user, action, obj):
                if not request.user.is_authenticated:
                    from django.contrib.auth.views import redirect_to_login

                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied(action)
            request.perm_obj = obj
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
