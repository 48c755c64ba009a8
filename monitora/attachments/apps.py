from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "monitora.attachments"
    verbose_name = _("Allegati")

    def ready(self) -> None:
        # Pillow's own decompression-bomb guard, lowered to our limit for every image opened in
        # this process (admin, imports, thumbnails), not only for uploads checked in images.py.
        from django.conf import settings
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = settings.ATTACHMENT_MAX_IMAGE_PIXELS
