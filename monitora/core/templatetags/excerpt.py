"""`{% if text|repeats:title %}`: leave out text that only repeats the heading (`core.excerpt`)."""

from django import template

from monitora.core.excerpt import beyond_title

register = template.Library()


@register.filter
def repeats(text: str, title: str) -> bool:
    return not beyond_title(str(text or ""), str(title or ""))
