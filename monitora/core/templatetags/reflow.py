"""`{{ answer|reflow }}`: an author's text as paragraphs and lists (`monitora.core.reflow`)."""

from django import template
from django.utils.safestring import SafeString

from monitora.core.reflow import reflow_html

register = template.Library()


@register.filter(name="reflow")
def reflow_filter(text: str) -> SafeString:
    return reflow_html(str(text or ""))
