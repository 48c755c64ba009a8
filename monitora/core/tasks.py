"""Generic background tasks (no domain): run by the task backend configured in TASKS.

Retries are bounded and explicit: a task that fails calls `retry_later`, which enqueues the next
attempt (after a delay when the backend can defer, at once otherwise) until MAX_ATTEMPTS; the
last attempt raises, so the task result stays FAILED where operators look (the admin's "Task
results" of django-tasks-db, docs/deployment.md).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Seconds before attempt 2, 3: a mail server that is down for a minute or ten is not a lost e-mail.
RETRY_DELAYS = (60, 600)


def retry_later(the_task, *, attempt: int, error: BaseException, **kwargs) -> bool:
    """Enqueue attempt `attempt + 1` of `the_task` unless `attempt` was the last; True if enqueued."""
    if attempt >= MAX_ATTEMPTS:
        logger.error("task %s failed after %d attempts: %s", the_task.name, attempt, error)
        return False
    logger.warning("task %s attempt %d failed (%s): retrying", the_task.name, attempt, error)
    if the_task.get_backend().supports_defer:
        delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
        the_task = the_task.using(run_after=timezone.now() + timedelta(seconds=delay))
    the_task.enqueue(attempt=attempt + 1, **kwargs)
    return True


@task
def send_email(*, subject: str, body: str, recipients: list[str], attempt: int = 1) -> int:
    """Send one plain-text e-mail; a failure is retried (bounded), the last one stays in the task result."""
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception as error:
        if retry_later(
            send_email, attempt=attempt, error=error, subject=subject, body=body, recipients=recipients
        ):
            return 0
        raise
