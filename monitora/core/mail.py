"""E-mail is queued after the transaction commits: a rolled-back change never writes to anyone,
and a slow mail server never holds a request (the task backend sends it)."""

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from .tasks import send_email


def one_line(text: str, limit: int = 120) -> str:
    """Subjects are headers: no newlines, bounded length."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def quoted(text: str, limit: int = 80) -> str:
    """User-chosen text (a report title) in a subject: quoted and bounded, so it reads as a name,
    never as our own words."""
    return f"«{one_line(text, limit)}»"


def notify_on_commit(*, recipients: Iterable[str], subject: str, body: str) -> None:
    to = sorted({r for r in recipients if r})
    if not to:
        return
    job = partial(send_email.enqueue, subject=one_line(f"[Monitora] {subject}"), body=body, recipients=to)
    transaction.on_commit(job)
