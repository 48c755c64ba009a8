"""What happened after a report: official changes, discrepancies, similar reports, recurring problems.

Everything here is derived from reports and the catalogue and can be recomputed (`insights_refresh`),
except the editors' dismissals of discrepancies and the history of official changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitora.catalogue.models import ImportRun, Project
from monitora.reports.models import Report

# The official fields whose changes are recorded, in the order a timeline lists them.
TRACKED_FIELDS = ("state", "payments", "public_funding", "planned_end_date", "actual_end_date")


class OfficialBaseline(models.Model):
    """The last official values seen for a project with reports: what the next import compares with.

    Values are kept as text (ISO dates, plain decimals) exactly as in the report snapshot, so that a
    baseline seeded from a snapshot and one seeded from the catalogue compare alike.
    """

    project = models.OneToOneField(Project, primary_key=True, on_delete=models.CASCADE, related_name="+")
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"baseline {self.project_id}"


class OfficialChange(models.Model):
    """One official field of a project changed between two catalogue imports."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="official_changes")
    field = models.CharField(max_length=30)
    old = models.CharField(max_length=200, blank=True)
    new = models.CharField(max_length=200, blank=True)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("modifica dei dati ufficiali")
        verbose_name_plural = _("modifiche dei dati ufficiali")
        ordering = ["project", "recorded_at", "id"]
        indexes = [models.Index(fields=["project", "field", "recorded_at"], name="insights_change_project")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.field}: {self.old} -> {self.new}"


class DiscrepancyQuerySet(models.QuerySet):
    def public(self) -> "DiscrepancyQuerySet":
        """Findings the public sees: still holding, not dismissed, on a published report."""
        return self.filter(resolved_at__isnull=True, dismissed_at__isnull=True, report__status="published")


class Discrepancy(models.Model):
    """A rule found citizens and official data disagreeing about one report's project."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="discrepancies")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("regola"), max_length=40, db_index=True)
    # "snapshot": official data at report time; "current": official data now.
    basis = models.CharField(max_length=10)
    # The values the rule compared: {"citizens": {...}, "official": {...}}.
    evidence = models.JSONField(default=dict)
    found_at = models.DateTimeField(db_index=True)
    checked_at = models.DateTimeField()
    # Set when a later computation no longer finds it (official data caught up, report edited).
    resolved_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissal_reason = models.TextField(blank=True, max_length=2000)

    objects = DiscrepancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("discrepanza")
        verbose_name_plural = _("discrepanze")
        ordering = ["-found_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["report", "rule"], name="discrepancy_one_per_rule")]
        indexes = [
            models.Index(fields=["project"], condition=Q(resolved_at__isnull=True), name="insights_disc_open")
        ]

    def __str__(self) -> str:
        return f"{self.rule} on report {self.report_id}"


class ReportTerm(models.Model):
    """A weighted stem of one published report's text: the inverted index behind similar reports.

    Only each report's strongest terms are kept (`similarity.TERMS_PER_REPORT`), weights are the
    L2-normalised TF-IDF of those terms, so a dot product over shared terms ranks neighbours.
    """

    # Indexed by the unique (report, term) constraint.
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+", db_index=False)
    term = models.CharField(max_length=60)
    weight = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "term"], name="reportterm_unique")]
        # On PostgreSQL migration 0002 makes it covering (INCLUDE report_id): index-only scans.
        indexes = [models.Index(fields=["term", "-weight"], name="insights_term_weight")]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.term}"


class TermStat(models.Model):
    """How many published reports use a stem (document frequency), and its commonest spelling."""

    term = models.CharField(max_length=60, primary_key=True)
    documents = models.PositiveIntegerField()
    word = models.CharField(max_length=80, blank=True)

    def __str__(self) -> str:
        return self.term


class RecurringTerm(models.Model):
    """A distinctive word of weaknesses and risks in one theme or region (statistics page)."""

    class Dimension(models.TextChoices):
        THEME = "theme", _("Tema")
        REGION = "region", _("Regione")

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    value = models.CharField(max_length=100)
    label = models.CharField(max_length=200, blank=True)
    term = models.CharField(max_length=60)
    word = models.CharField(max_length=80)
    reports = models.PositiveIntegerField()
    score = models.FloatField()
    report_ids = models.JSONField(default=list)

    class Meta:
        ordering = ["dimension", "label", "-score"]
        indexes = [models.Index(fields=["dimension", "value"], name="insights_recurring_group")]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.value}:{self.word}"
