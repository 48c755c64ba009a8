"""Files attached to a report: photos (re-encoded, metadata stripped) and documents.

The stored file has a random name chosen by the server; the user's file name is kept only,
sanitised, for display and as the download name.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitora.core.models import BaseModel
from monitora.reports.models import Report

from .storage import attachment_storage


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Immagine")
    DOCUMENT = "document", _("Documento")


class AttachmentQuerySet(models.QuerySet):
    def images(self) -> "AttachmentQuerySet":
        return self.filter(kind=AttachmentKind.IMAGE)

    def documents(self) -> "AttachmentQuerySet":
        return self.filter(kind=AttachmentKind.DOCUMENT)

    def of_published_reports(self) -> "AttachmentQuerySet":
        """Attachments that may leave through public channels: those of published reports only."""
        return self.filter(report__in=Report.objects.published())


class Attachment(BaseModel):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("tipo"), max_length=10, choices=AttachmentKind.choices)
    # Server-chosen random name in the private `attachments` storage; unique so that a collision
    # can never make two rows share (and one delete remove) a file.
    file = models.FileField(_("file"), storage=attachment_storage, max_length=200, unique=True)
    original_name = models.CharField(_("nome del file"), max_length=150)
    content_type = models.CharField(_("tipo di contenuto"), max_length=100)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(max_length=64, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Thumbnail long side in px (as a string, JSON keys) -> storage name.
    thumbnails = models.JSONField(default=dict, blank=True)
    caption = models.CharField(_("didascalia"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_cover = models.BooleanField(_("immagine di copertina"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Read from the photo's EXIF before it was stripped. Private: offered to the authors as the
    # report location, never published as such (the photographer's position is personal data).
    gps_latitude = models.FloatField(null=True, blank=True)
    gps_longitude = models.FloatField(null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")
        ordering = ["report", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(is_cover=True), name="attachment_one_cover_per_report"
            ),
            models.UniqueConstraint(fields=["report", "sha256"], name="attachment_unique_content_per_report"),
            models.CheckConstraint(
                condition=Q(is_cover=False) | Q(kind="image"), name="attachment_cover_is_image"
            ),
            models.CheckConstraint(
                condition=Q(gps_latitude__isnull=True) | Q(gps_latitude__gte=-90, gps_latitude__lte=90),
                name="attachment_gps_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(gps_longitude__isnull=True) | Q(gps_longitude__gte=-180, gps_longitude__lte=180),
                name="attachment_gps_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == AttachmentKind.IMAGE

    @property
    def has_gps(self) -> bool:
        return self.gps_latitude is not None and self.gps_longitude is not None

    def storage_names(self) -> list[str]:
        """Every file this row owns in storage: the main file and its thumbnails."""
        return [n for n in [self.file.name, *self.thumbnails.values()] if n]
