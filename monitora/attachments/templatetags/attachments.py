from django import template

from monitora.attachments.links import video_embed_url

register = template.Library()


@register.filter
def video_embed(url: str) -> str | None:
    """YouTube/Vimeo player URL for a stored video link, or None (show it as a plain link)."""
    return video_embed_url(url or "")
