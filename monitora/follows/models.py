"""Follows: a person follows a project, a place, a theme or a saved report search, and is told
(at once or in a daily/weekly digest) when something happens there.

An event (`FollowEvent`) is recorded once, whatever the number of followers; a `Notification`
is one event for one person (several follows of one person matching one event give one
notification); a `Digest` groups a person's notifications of one period and exists once per
(person, period), which is what makes `send_digests` idempotent.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monitora.core.models import BaseModel


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("subito, un'e-mail per evento")
    DAILY = "daily", _("riepilogo giornaliero")
    WEEKLY = "weekly", _("riepilogo settimanale")


# Faster deliveries win when one event matches several follows of one person.
DELIVERY_RANK = {Delivery.IMMEDIATE: 0, Delivery.DAILY: 1, Delivery.WEEKLY: 2}


class Follow(BaseModel):
    class Kind(models.TextChoices):
        PROJECT = "project", _("progetto")
        TERRITORY = "territory", _("territorio")
        THEME = "theme", _("tema")
        SEARCH = "search", _("ricerca di report")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Project code, ISTAT code (2 digits region, 3 province, 6 comune), theme code, or the
    # canonical query string of the saved report search.
    target = models.CharField(max_length=1000)
    label = models.CharField(max_length=300)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        verbose_name = _("elemento seguito")
        verbose_name_plural = _("elementi seguiti")
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "target"], name="follow_unique_user_target")
        ]
        indexes = [models.Index(fields=["kind", "target"], name="follow_kind_target")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"


class EventKind(models.TextChoices):
    REPORT_PUBLISHED = "report_published", _("report pubblicato")
    RESPONSE_ADDED = "response_added", _("risposta dell'amministrazione")
    IMPACT_PUBLISHED = "impact_published", _("aggiornamento sull'impatto")
    OFFICIAL_CHANGE = "official_change", _("dati ufficiali cambiati")
    DISCREPANCY = "discrepancy", _("discrepanza trovata")


class FollowEvent(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    # Idempotence: an event announced twice (a re-run, a retried task) is recorded once.
    key = models.CharField(max_length=200, unique=True)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=1000)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Digest(models.Model):
    class Status(models.TextChoices):
        BUILDING = "building", _("in preparazione")
        QUEUED = "queued", _("in coda")
        SENT = "sent", _("inviato")
        FAILED = "failed", _("invio fallito")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=20, choices=Delivery.choices)
    # The day ("2026-12-05") or ISO week ("2026-W49") it covers.
    period_key = models.CharField(max_length=10)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BUILDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("riepilogo")
        verbose_name_plural = _("riepiloghi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "period_key"], name="digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.period_key} → {self.user_id}"


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("da inviare")
        SENT = "sent", _("inviata")
        FAILED = "failed", _("invio fallito")

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    follow = models.ForeignKey(Follow, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(FollowEvent, on_delete=models.CASCADE, related_name="notifications")
    delivery = models.CharField(max_length=20, choices=Delivery.choices)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("notifica")
        verbose_name_plural = _("notifiche")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_once_per_person")]
        indexes = [models.Index(fields=["delivery", "digest", "user"], name="notification_digest_pending")]

    def __str__(self) -> str:
        return f"{self.event} → {self.user_id}"
