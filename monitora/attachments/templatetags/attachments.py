from django import template

from monitora.attachments.links import video_embed_url

register = template.Library()


@register.filter
def video_embed(url: str) -> str | None:
    """YouTube/Vimeo player URL for a stored video link, or None (show it as a plain link)."""
    return video_embed_url(url or "")


@register.inclusion_tag("attachments/_upload.html", takes_context=True)
def attachments_panel(context, report, links: bool = False) -> dict:
    """The authors' attachments panel, for pages that already checked `can_manage_attachments`.

    Plain form posts come back to the including page; `links=True` adds the link section.
    """
    from monitora.attachments.selectors import attachment_panel_context

    request = context.get("request")
    return {
        **attachment_panel_context(
            report=report, next_url=request.get_full_path() if request else "", show_links=links
        ),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
