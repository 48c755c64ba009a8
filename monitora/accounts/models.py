"""What Monitora knows about a person beyond the login: category, public handle, representation."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitora.core.models import BaseModel
from monitora.teams.models import AuthorCategory

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_.-]{2,40}$", _("Usa da 2 a 40 caratteri: lettere, cifre, punto, trattino, trattino basso.")
)


class Profile(BaseModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    author_category = models.CharField(
        _("categoria"), max_length=30, choices=AuthorCategory.choices, default=AuthorCategory.CITIZEN
    )
    display_name = models.CharField(_("nome visualizzato"), max_length=150, blank=True)
    handle = models.CharField(_("handle pubblico"), max_length=40, blank=True, validators=[handle_validator])
    # Right of reply: the administration this person says they represent, and the editor who
    # verified it. Only a verified representative may attach official responses.
    administration_name = models.CharField(_("amministrazione rappresentata"), max_length=300, blank=True)
    representative_verified_at = models.DateTimeField(null=True, blank=True)
    representative_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("profilo")
        verbose_name_plural = _("profili")
        constraints = [
            models.UniqueConstraint(fields=["handle"], condition=~Q(handle=""), name="profile_unique_handle")
        ]

    def __str__(self) -> str:
        return self.display_name or self.handle or f"utente {self.user_id}"

    @property
    def is_verified_representative(self) -> bool:
        return bool(self.representative_verified_at and self.administration_name)
