"""`{% field_label report key %}`: the questionnaire's label of a key, never the key itself."""

from django import template

from monitora.reports.labels import field_label as _field_label

register = template.Library()


@register.simple_tag
def field_label(report, key: str) -> str:
    return _field_label(report.questionnaire.code, key)
