"""Generic background tasks (no domain): run by the task backend configured in TASKS."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task


@task
def send_email(*, subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text e-mail; a worker retries nothing, the failure stays in the task result."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
