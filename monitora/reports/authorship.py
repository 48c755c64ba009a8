"""The one rule for who a report says wrote it, in every public channel.

Authors of older reports sometimes typed their e-mail address in the author slot (the example
report reads "Di doest.team@gmail.com"), and teams imported from the old platform are named after
its login, which could be an address. An author line, handle or team name that is, or contains,
an e-mail address is never public: the page, the PDF and its metadata, the API, the CSVs, the feeds, the
open data and the search index all read the author through these functions, so none can leak
what another hides. The stored value stays untouched for the editors.
"""

import re

from monitora.teams.models import Team

from .models import Report

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def contains_email(text: str) -> bool:
    return bool(EMAIL.search(text or ""))


def public_author_name(report: Report) -> str:
    """The author line as typed, or "" when it holds an e-mail address (the whole line goes:
    a name next to an address is the address's owner)."""
    name = (report.author_name or "").strip()
    return "" if contains_email(name) else name


def public_handle(report: Report) -> str:
    handle = (report.handle or "").strip()
    return "" if contains_email(handle) else handle


def public_team_name(team: Team | None) -> str:
    name = (team.name or "").strip() if team is not None else ""
    return "" if contains_email(name) else name


def public_byline(report: Report) -> str:
    """What "Di …" shows: the public author line, else the team's name."""
    return public_author_name(report) or (public_team_name(report.team) if report.team_id else "")
