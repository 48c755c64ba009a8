"""What an import could not type, kept verbatim for editors: notes, source records, import runs.

A lenient import never drops a value: a cell that fails its check leaves the typed field empty
and becomes a `QualityNote` (column, line, reason, the cell as written); the whole source record
stays in `RawRecord`, so an encoding repair or a team value that differs is always traceable.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One imported file, identified by its content: importing the same bytes again reuses it."""

    source = models.CharField(max_length=20)  # a reports.ReportSource value
    file_name = models.CharField(_("file"), max_length=300)
    digest = models.CharField(max_length=64)  # sha256 of the file's bytes
    created_at = models.DateTimeField(_("importato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("importazione di report")
        verbose_name_plural = _("importazioni di report")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "digest"], name="dq_importrun_unique_digest")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"


class RawRecord(models.Model):
    """The source record of an imported report as it was in the file (private columns excluded)."""

    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="raw_record")
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    line = models.PositiveIntegerField(null=True, blank=True)
    # Non-empty cells only, column -> text exactly as read (before any cleaning or repair).
    cells = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("record di origine")
        verbose_name_plural = _("record di origine")

    def __str__(self) -> str:
        return f"#{self.report_id} riga {self.line}"


class NoteKind(models.TextChoices):
    INVALID = "invalid", _("Valore non valido")
    OUT_OF_RANGE = "out_of_range", _("Fuori intervallo")
    NOT_A_URL = "not_a_url", _("Testo in un campo URL")
    TOO_LONG = "too_long", _("Testo troppo lungo")
    MISSING = "missing", _("Valore obbligatorio mancante")
    UNKNOWN_LABEL = "unknown_label", _("Etichetta non riconosciuta")
    TEAM_VALUE = "team_value", _("Dato del team diverso da altri report")


class NoteStatus(models.TextChoices):
    OPEN = "open", _("Da verificare")
    ACCEPTED = "accepted", _("Accettato così")
    CORRECTED = "corrected", _("Corretto")


class QualityNoteQuerySet(models.QuerySet):
    def open(self) -> "QualityNoteQuerySet":
        return self.filter(status=NoteStatus.OPEN)


class QualityNote(models.Model):
    """One source cell an import kept aside, with why; editors accept it or correct the value."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="quality_notes")
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    line = models.PositiveIntegerField(_("riga"), null=True, blank=True)
    column = models.CharField(_("colonna"), max_length=100)
    raw_value = models.TextField(_("valore originale"), blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=NoteKind.choices)
    reason = models.TextField(_("motivo"))
    status = models.CharField(
        _("stato"), max_length=10, choices=NoteStatus.choices, default=NoteStatus.OPEN, db_index=True
    )
    # What the editor entered: re-imports of the same source cell apply it again.
    corrected_value = models.TextField(_("valore corretto"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QualityNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("nota sulla qualità dei dati")
        verbose_name_plural = _("note sulla qualità dei dati")
        ordering = ["report_id", "line", "column"]
        constraints = [
            models.UniqueConstraint(fields=["report", "column", "kind"], name="dq_note_unique_cell_kind")
        ]

    def __str__(self) -> str:
        return f"#{self.report_id} {self.column}: {self.get_kind_display()}"
