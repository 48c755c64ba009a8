"""The open catalogue: OpenCoesione projects and the territories they are located in.

Codes stay strings (leading zeros matter). The full raw source row is kept in `raw` so that a
value we do not model yet is never lost.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from monitora.core.models import BaseModel

OPENCOESIONE_PROJECT_URL = "https://opencoesione.gov.it/it/progetti/{slug}/"


def project_slug(code: str) -> str:
    """The portal slug of a COD_LOCALE_PROGETTO: lower case, `/ . *` dropped, spaces to `-`."""
    slug = code.lower()
    for char in "/.*":
        slug = slug.replace(char, "")
    return slug.replace(" ", "-")


class Territory(models.Model):
    class Kind(models.TextChoices):
        REGION = "R", _("Regione")
        PROVINCE = "P", _("Provincia")
        MUNICIPALITY = "C", _("Comune")

    # ISTAT code: region 2 digits, province 3 digits, comune 6 digits.
    code = models.CharField(max_length=10)
    kind = models.CharField(max_length=1, choices=Kind.choices)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    abbreviation = models.CharField(_("sigla"), max_length=4, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("territorio")
        verbose_name_plural = _("territori")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code")]

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet):
    def public(self) -> "ProjectQuerySet":
        """Projects shown to the public: still in the catalogue's latest release."""
        return self.filter(removed_at__isnull=True)


class Project(BaseModel):
    """A project of the OpenCoesione catalogue, keyed on COD_LOCALE_PROGETTO."""

    code = models.CharField(_("codice locale progetto"), max_length=100)
    cup = models.CharField("CUP", max_length=20, blank=True)
    title = models.TextField(_("titolo"), blank=True)
    summary = models.TextField(_("sintesi"), blank=True)
    theme_code = models.CharField(max_length=10, blank=True)
    theme = models.CharField(_("tema"), max_length=200, blank=True)
    cycle_code = models.CharField(max_length=10, blank=True)
    cycle = models.CharField(_("ciclo di programmazione"), max_length=200, blank=True)
    programme_codes = models.JSONField(default=list, blank=True)
    programmes = models.JSONField(_("programmi"), default=list, blank=True)
    fund_code = models.CharField(max_length=20, blank=True)
    fund = models.CharField(_("fondo"), max_length=200, blank=True)
    public_funding = models.DecimalField(
        _("finanziamento pubblico"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    net_public_funding = models.DecimalField(
        _("finanziamento pubblico netto"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    payments = models.DecimalField(_("pagamenti"), max_digits=18, decimal_places=2, null=True, blank=True)
    commitments = models.DecimalField(_("impegni"), max_digits=18, decimal_places=2, null=True, blank=True)
    financial_state = models.CharField(_("stato finanziario"), max_length=100, blank=True)
    state = models.CharField(_("stato del progetto"), max_length=100, blank=True)
    procedural_state = models.CharField(_("stato procedurale"), max_length=100, blank=True)
    start_date = models.DateField(_("data inizio"), null=True, blank=True)
    planned_end_date = models.DateField(_("data fine prevista"), null=True, blank=True)
    actual_end_date = models.DateField(_("data fine effettiva"), null=True, blank=True)
    cup_nature_code = models.CharField(max_length=10, blank=True)
    cup_nature = models.CharField(_("natura CUP"), max_length=200, blank=True)
    cup_sector = models.CharField(_("settore CUP"), max_length=200, blank=True)
    procedure_code = models.CharField(max_length=50, blank=True)
    procedure = models.TextField(_("procedura di attivazione"), blank=True)
    oc_visibility = models.CharField(max_length=4, blank=True)
    # Subjects by role as published: [{"role": "Programmatore", "name": ..., "tax_code": ...}].
    subjects = models.JSONField(default=list, blank=True)
    territories = models.ManyToManyField(Territory, blank=True, related_name="projects")
    source_updated_on = models.DateField(null=True, blank=True)
    # Source columns the importer does not know (release drift, small exports): never lost.
    raw = models.JSONField(default=dict, blank=True)
    # 64-bit hash of everything imported from the source row: unchanged rows are skipped.
    row_hash = models.BigIntegerField(null=True, blank=True, editable=False)
    # 64-bit hash of the source record as it is in the file: a re-import skips identical records
    # without parsing them.
    source_hash = models.BigIntegerField(null=True, blank=True, editable=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    # No index on creation time here: projects are listed by code, funding or relevance.
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("progetto")
        verbose_name_plural = _("progetti")
        ordering = ["code"]
        # Plain b-tree indexes only (a CharField with db_index/unique also gets a LIKE index on
        # PostgreSQL): fewer indexes to build after a bulk import of two million rows.
        constraints = [models.UniqueConstraint(fields=["code"], name="catalogue_project_code_key")]
        indexes = [
            models.Index(fields=["cup"], name="catalogue_project_cup"),
            models.Index(fields=["theme_code"], name="catalogue_project_theme"),
            models.Index(fields=["cycle_code"], name="catalogue_project_cycle"),
            models.Index(fields=["state"], name="catalogue_project_state"),
            models.Index(fields=["source_hash"], name="catalogue_project_source_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"

    @property
    def opencoesione_url(self) -> str:
        return OPENCOESIONE_PROJECT_URL.format(slug=project_slug(self.code))

    @property
    def subjects_by_role(self) -> dict[str, list[dict]]:
        """Subjects grouped by role, in OpenCoesione's order (programmer, implementer, ...)."""
        grouped: dict[str, list[dict]] = {}
        for subject in self.subjects or []:
            grouped.setdefault(subject.get("role", ""), []).append(subject)
        return grouped

    @property
    def payment_ratio(self) -> float | None:
        """Payments as a share of public funding (0-1), None when either is unknown."""
        if not self.public_funding or self.payments is None:
            return None
        return float(self.payments / self.public_funding)

    def places(self) -> list[Territory]:
        """The most precise territories of the project (comuni; else provinces; else regions)."""
        territories = list(self.territories.all())
        for kind in (Territory.Kind.MUNICIPALITY, Territory.Kind.PROVINCE, Territory.Kind.REGION):
            found = [t for t in territories if t.kind == kind]
            if found:
                return sorted(found, key=lambda t: t.name)
        return []


class ImportRun(models.Model):
    """One run of `import_catalogue`: what was read, what changed, what was rejected and why."""

    class Status(models.TextChoices):
        RUNNING = "running", _("in corso")
        SUCCEEDED = "succeeded", _("completata")
        DRY_RUN = "dry_run", _("prova (nessuna modifica)")
        FAILED = "failed", _("fallita")
        INTERRUPTED = "interrupted", _("interrotta")

    started_at = models.DateTimeField(_("inizio"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("fine"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    file_name = models.TextField(_("file"))
    file_hash = models.CharField(_("SHA-256"), max_length=64, blank=True)
    files = models.JSONField(default=list, blank=True)  # [{name, member, sha256, rows, columns}]
    options = models.JSONField(default=dict, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    places_linked = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # first errors: {file, line, column, value, reason}
    message = models.TextField(blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("importazione del catalogo")
        verbose_name_plural = _("importazioni del catalogo")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.file_name} ({self.get_status_display()})"
