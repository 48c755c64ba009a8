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
    # An editor withdrew a published report (with a reason, in the audit log): off every public channel.
    WITHDRAWN = "withdrawn", _("Ritirato dalla redazione")


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


# Report columns that no public rendering of a report reads (`reports.selectors.published_report_for_page`).
REPORT_PAGE_UNREAD = frozenset({"created_by", "legacy_id", "lock_version", "latitude", "longitude"})


def published_q(prefix: str = "") -> Q:
    """The condition of `ReportQuerySet.published`, also through a relation (`prefix="report__"`):
    a join where the report is read anyway, instead of an `IN (published reports)` subquery."""
    return Q(**{f"{prefix}status": ReportStatus.PUBLISHED})


class ReportQuerySet(models.QuerySet):
    def published(self) -> "ReportQuerySet":
        """The one gate for public channels: only published reports ever leave through it."""
        return self.filter(published_q())

    def with_public_relations(self) -> "ReportQuerySet":
        return self.select_related("project", "team", "questionnaire")

    def for_cards(self) -> "ReportQuerySet":
        """Only the columns a report card shows (`report_cards`): a list would otherwise decode
        every report's snapshot and every project's catalogue row, most of a list's SQL time."""
        return self.select_related("project", "team").only(
            "id", "title", "submitted_at", "project_id", "team_id", "project__title", "team__name"
        )


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

    @property
    def impact_is_public(self) -> bool:
        """Step 3 stays private until its own review publishes it (see AnswerQuerySet.public)."""
        return self.impact_status == ImpactStatus.PUBLISHED


class AnswerQuerySet(models.QuerySet):
    def public(self) -> "AnswerQuerySet":
        """Answers a public channel may show: Step 3 (impact) only once its review published it.

        Combine with `Report.objects.published()` for the report itself; on a report already
        loaded, `report.impact_is_public` states the same rule.
        """
        return self.filter(self.public_q())

    @staticmethod
    def public_q() -> Q:
        """The condition of `public()`, for queries that apply it to some answers only."""
        return ~Q(question__step=3) | Q(report__impact_status=ImpactStatus.PUBLISHED)


class Answer(models.Model):
    """One answer. A question with no Answer row was not answered; `boolean=False` means "No"."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    boolean = models.BooleanField(null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

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


# Review of reports: per-field comments, revisions of published reports, official responses.
class ReviewComment(BaseModel):
    """An editor's remark on one field (a question key or a report field such as `title`)."""

    report = models.ForeignKey("Report", on_delete=models.CASCADE, related_name="review_comments")
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
        db_table = "moderation_reviewcomment"  # created by the moderation app, moved here
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

    report = models.ForeignKey("Report", on_delete=models.CASCADE, related_name="revisions")
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
        db_table = "moderation_reportrevision"
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


class AdministrationResponseQuerySet(models.QuerySet):
    def visible(self) -> "AdministrationResponseQuerySet":
        """Responses the public sees: an editor can hide one (abuse, wrong report)."""
        return self.filter(hidden_at__isnull=True)


class AdministrationResponse(BaseModel):
    """Right of reply: an official response by a verified representative of an administration."""

    report = models.ForeignKey("Report", on_delete=models.CASCADE, related_name="official_responses")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    administration_name = models.CharField(_("amministrazione"), max_length=300)
    text = models.TextField(_("risposta"), max_length=10000)
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = AdministrationResponseQuerySet.as_manager()

    class Meta:
        db_table = "moderation_administrationresponse"
        verbose_name = _("risposta ufficiale")
        verbose_name_plural = _("risposte ufficiali")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.administration_name} su {self.report_id}"
