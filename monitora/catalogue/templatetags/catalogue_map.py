from django import template
from django.conf import settings
from django.contrib.staticfiles import finders

register = template.Library()


@register.simple_tag
def map_settings() -> dict:
    """Tile server for small maps; `enabled` is False when Leaflet was not installed (npm)."""
    return {
        "enabled": bool(finders.find("vendor/leaflet/leaflet.js")),
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }
