"""The one validator of web addresses people give us (report links, attachment links, API, teams).

Only http(s), no `user:password@` part: `https://www.google.com@evil.example/login` looks like
Google and goes to evil.example (issue 16, finding 5: the guided form and the API accepted it
while the attachments panel refused it). Every entry point calls `clean_web_url`.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

MAX_URL_LENGTH = 1000
_url_validator = URLValidator(schemes=["http", "https"])


def clean_web_url(url: str) -> str:
    """The URL, trimmed, if it is an http(s) URL without user:password; else ValidationError."""
    url = (url or "").strip()
    if not url:
        raise ValidationError(_("Inserisci un indirizzo."), code="required")
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(
            _("L'indirizzo è troppo lungo (massimo %(n)s caratteri).") % {"n": MAX_URL_LENGTH},
            code="too_long",
        )
    try:
        _url_validator(url)
    except ValidationError:
        raise ValidationError(
            _("«%(url)s» non è un indirizzo web valido (deve iniziare con http:// o https://).")
            % {"url": url[:200]},
            code="invalid_url",
        ) from None
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError(
            _("L'indirizzo non può contenere nome utente o password."), code="credentials_in_url"
        )
    return url


def validate_web_url(url: str) -> None:
    """Model-field validator form of `clean_web_url` (blank values are the field's business)."""
    if url:
        clean_web_url(url)
