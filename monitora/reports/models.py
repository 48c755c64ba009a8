"""Civic monitoring reports and their answers.

A report belongs to a team, answers one questionnaire version, and keeps a snapshot of the
official project data as it was when the report was written.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitora.catalogue.models import Project
from monitora.core.models import BaseModel
from monitora.questionnaires.models import Option, Question, Questionnaire
from monitora.teams.models import Team


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    SUBMITTED = "submitted", _("In attesa di revisione")
    IN_REVIEW = "in_review", _("In revisione")
    CHANGES_REQUESTED = "changes_requested", _("Modifiche richieste")
    PUBLISHED = "published", _("Pubblicato")
    REJECTED = "rejected", _("Respinto")


class ImpactStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Non iniziato")
    DRAFT = "draft", _("Bozza")
    SUBMITTED = "submitted", _("In attesa di revisione")
    CHANGES_REQUESTED = "changes_requested", _("Modifiche richieste")
    PUBLISHED = "published", _("Pubblicato")


class ReportSource(models.TextChoices):
    WEB = "web", _("Modulo web")
    API = "api", _("API")
    TEXT = "text", _("Testo pubblicato")
    LEGACY_CSV = "legacy_csv", _("Archivio Monithon")


class ReportQuerySet(models.QuerySet):
    def published(self) -> "ReportQuerySet":
        """The one gate for public channels: only published reports ever leave through it."""
        return self.filter(status=ReportStatus.PUBLISHED)

    def with_public_relations(self) -> "ReportQuerySet":
        return self.select_related("project", "team", "questionnaire")


class Report(BaseModel):
    title = models.CharField(_("titolo"), max_length=500)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    # The code as the authors gave it, kept even when the catalogue does not (yet) hold it.
    project_code = models.CharField(_("codice progetto"), max_length=100, blank=True, db_index=True)
    opencoesione_url = models.CharField(_("URL OpenCoesione"), max_length=500, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    impact_status = models.CharField(
        max_length=20, choices=ImpactStatus.choices, default=ImpactStatus.NOT_STARTED
    )
    source = models.CharField(max_length=20, choices=ReportSource.choices, default=ReportSource.WEB)
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="it")
    author_name = models.CharField(_("autore"), max_length=500, blank=True)
    handle = models.CharField(_("handle"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("inviato il"), null=True, blank=True)
    published_at = models.DateTimeField(_("pubblicato il"), null=True, blank=True, db_index=True)
    impact_submitted_at = models.DateTimeField(null=True, blank=True)
    address = models.CharField(_("indirizzo"), max_length=500, blank=True)
    postcode = models.CharField(_("CAP"), max_length=10, blank=True)
    latitude = models.FloatField(_("latitudine"), null=True, blank=True)
    longitude = models.FloatField(_("longitudine"), null=True, blank=True)
    # The official project record when the report was written or published.
    project_snapshot = models.JSONField(_("dati ufficiali al monitoraggio"), default=dict, blank=True)
    legacy_id = models.CharField(max_length=50, blank=True)
    # Incremented by every write: a save carrying an older value is refused (optimistic locking).
    lock_version = models.PositiveIntegerField(default=1)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("report")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="report_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="report_longitude_range",
            ),
            models.UniqueConstraint(
                fields=["source", "legacy_id"],
                condition=~Q(legacy_id=""),
                name="report_unique_legacy_id",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class Answer(models.Model):
    """One answer. A question with no Answer row was not answered; `boolean=False` means "No"."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    boolean = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "question"], name="answer_unique_question")]
        indexes = [models.Index(fields=["question", "option"]), models.Index(fields=["question", "boolean"])]

    def __str__(self) -> str:
        return f"{self.question.key}={self.value!r}"

    @property
    def value(self) -> str | bool | None:
        if self.option_id:
            return self.option.code
        if self.boolean is not None:
            return self.boolean
        return self.text


class ReportLink(models.Model):
    """A source link, a video or an image hosted elsewhere (e.g. imported from ASOC)."""

    class Kind(models.TextChoices):
        SOURCE = "source", _("Fonte")
        VIDEO = "video", _("Video")
        IMAGE = "image", _("Immagine")
        TEAM_IMAGE = "team_image", _("Immagine del team")
        BLOG = "blog", _("Pagina del team sul report")
        CREATIVE_WORK = "creative_work", _("Elaborato creativo")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "kind", "position"]

    def __str__(self) -> str:
        return self.url
