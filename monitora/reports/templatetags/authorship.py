"""`{{ report.team|public_team_name }}`: the public-name rule of `reports.authorship` in templates."""

from django import template

from monitora.reports import authorship

register = template.Library()


@register.filter
def public_team_name(team) -> str:
    return authorship.public_team_name(team)
