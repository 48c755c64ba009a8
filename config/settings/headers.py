"""Security headers: Content-Security-Policy (Django's own), Permissions-Policy, referrer, cookies.

The policy allows no inline script or style at all: templates load every script and stylesheet
from static files and pass data to them as `json_script` blocks (docs/security.md). A nonce is
available (`{{ csp_nonce }}`) but public pages must not use it: they are cached and shared, and a
nonce baked into a cached page would not match the next response's header.
"""

from urllib.parse import urlsplit

from django.utils.csp import CSP


def _origin(url: str) -> str:
    """Scheme and host of a tile URL template; a `{s}.` subdomain placeholder becomes a wildcard."""
    parts = urlsplit(url.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(*, tile_url: str) -> dict[str, list[str]]:
    """The enforced policy: scripts, styles, fonts and requests only from this site.

    Images are the one exception: photos of imported monitoring reports are hot-linked from
    wherever the archive kept them (any HTTPS host; they load with no referrer), and map tiles
    come from MAP_TILE_URL (added here in case it is not HTTPS).
    """
    images = [CSP.SELF, "data:", "https:"]
    if not tile_url.startswith("https:"):
        images.append(_origin(tile_url))
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF, CSP.NONCE],
        "img-src": images,
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
    }


# django-permissions-policy: no page uses a powerful browser feature, so all are off.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    # "Vicino a me" on the project search asks the browser for its position (static/js/near-me.js).
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies: never readable by scripts (htmx requests carry the CSRF token of their form),
# sent on top-level navigations only. production.py adds Secure.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
