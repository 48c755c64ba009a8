from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monitora.core.models import BaseModel
from monitora.core.weburls import validate_web_url


class AuthorCategory(models.TextChoices):
    ASOC_SECONDARY = "asoc_secondary", _("Scuola secondaria di secondo grado (ASOC)")
    ASOC_LOWER_SECONDARY = "asoc_lower_secondary", _("Scuola secondaria di primo grado (ASOC)")
    UNIVERSITY = "university", _("Studenti universitari")
    ASSOCIATION = "association", _("Associazione della società civile")
    CITIZEN = "citizen", _("Cittadino/a")
    OTHER = "other", _("Altro")


class Team(BaseModel):
    """Who writes reports: a school class, an association, a group of citizens or one person."""

    name = models.CharField(_("nome"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    category = models.CharField(
        _("categoria"), max_length=30, choices=AuthorCategory.choices, default=AuthorCategory.CITIZEN
    )
    # Free-text category as the source called it (e.g. "ASOC 2017-2018"), kept for history.
    category_label = models.CharField(_("categoria originale"), max_length=200, blank=True)
    handle = models.CharField(_("handle pubblico"), max_length=100, blank=True)
    school_name = models.CharField(_("istituto"), max_length=300, blank=True)
    school_type = models.CharField(_("tipo di istituto"), max_length=200, blank=True)
    school_region = models.CharField(_("regione dell'istituto"), max_length=100, blank=True)
    school_province = models.CharField(_("provincia dell'istituto"), max_length=100, blank=True)
    school_municipality = models.CharField(_("comune dell'istituto"), max_length=200, blank=True)
    external_id = models.CharField(_("ID ASOC"), max_length=100, blank=True)
    website = models.URLField(_("pagina del team"), max_length=500, blank=True, validators=[validate_web_url])
    creative_work_url = models.URLField(
        _("elaborato creativo"), max_length=500, blank=True, validators=[validate_web_url]
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams", blank=True
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("team")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Responsabile")
        MEMBER = "member", _("Membro")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team} ({self.role})"


class Invitation(BaseModel):
    """An e-mailed, single-use, expiring invitation. Only the SHA-256 of the token is stored."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invito")
        verbose_name_plural = _("inviti")

    def __str__(self) -> str:
        return f"{self.email} → {self.team}"
