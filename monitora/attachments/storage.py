"""Where attachment files live: a storage of their own, never under the public web root."""

from django.core.files.storage import Storage, storages


def attachment_storage() -> Storage:
    """The `attachments` storage alias from settings.STORAGES (private directory or private bucket).

    A callable so that tests and deployments can switch the backend through settings alone.
    """
    return storages["attachments"]
