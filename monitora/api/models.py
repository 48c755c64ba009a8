"""Personal API tokens for authors' write access.

Only a SHA-256 hash of the secret is stored; the full token is shown once, at creation. The
short prefix is stored in clear so a token can be found without scanning every hash.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monitora.core.models import BaseModel


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nome"), max_length=100, help_text=_("A cosa serve, es. 'script della classe'"))
    prefix = models.CharField(_("prefisso"), max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
