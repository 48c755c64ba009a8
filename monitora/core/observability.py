"""Sentry error reports without personal data.

Called from settings when SENTRY_DSN is set. `send_default_pii` stays at its default, False, which
keeps IP addresses, cookies, user details and request bodies out (sentry-sdk 2.7x deprecates
passing it explicitly in favour of `data_collection`, whose defaults collect more: so neither is
passed); `before_send` also drops the user's e-mail and username should any
integration add them, leaving only the numeric id, and tags the event with the request id so a
report can be matched with the request log.
"""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from monitora.core.requestlog import current_request_id


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keep only the user id; add the request id."""
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if "id" in user else {}
    request_id = current_request_id()
    if request_id != "-":
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float, **options: Any) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        **options,
    )
