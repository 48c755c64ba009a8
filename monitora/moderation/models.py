"""Review of reports: per-field comments, revisions of published reports, official responses."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitora.core.models import BaseModel
from monitora.reports.models import Report


class ReviewComment(BaseModel):
    """An editor's remark on one field (a question key or a report field such as `title`)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="review_comments")
    field_key = models.CharField(_("campo"), max_length=100)
    text = models.TextField(_("commento"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("risolto il"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("commento di revisione")
        verbose_name_plural = _("commenti di revisione")
        ordering = ["report", "field_key", "created_at"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.field_key}"


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("In attesa di revisione")
    APPROVED = "approved", _("Approvata")
    REJECTED = "rejected", _("Respinta")


class ReportRevision(BaseModel):
    """A proposed edit of a published report. The published version stays until it is approved.

    `proposed` holds {"fields": {...}, "answers": {key: raw value}}; answers are re-validated with
    `clean_answers` when the revision is approved, so a stale proposal can never store bad data.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    proposed = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING)
    # The report's lock_version the proposal was written against.
    base_lock_version = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, max_length=5000)

    class Meta:
        verbose_name = _("revisione")
        verbose_name_plural = _("revisioni")
        ordering = ["-created_at"]
        constraints = [
            # One open proposal per report: a second one would silently fork the text.
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="pending"), name="revision_one_pending_per_report"
            )
        ]

    def __str__(self) -> str:
        return f"revisione {self.pk} di {self.report_id}"


class AdministrationResponse(BaseModel):
    """Right of reply: an official response by a verified representative of an administration."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="official_responses")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    administration_name = models.CharField(_("amministrazione"), max_length=300)
    text = models.TextField(_("risposta"), max_length=10000)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("risposta ufficiale")
        verbose_name_plural = _("risposte ufficiali")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.administration_name} su {self.report_id}"
