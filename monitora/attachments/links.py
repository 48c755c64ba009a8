"""Source links and video links of a report (stored as `reports.ReportLink`).

Only http(s) URLs without credentials are accepted. The embed URL of a YouTube or Vimeo video is
computed on read from the stored link (never stored, never taken from the user), so a changed
embed policy (e.g. youtube-nocookie) applies to every report at once.
"""

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from monitora.core.models import log_action
from monitora.core.weburls import clean_web_url
from monitora.reports.changes import reports_changed
from monitora.reports.models import Report, ReportLink

MAX_LINKS_PER_KIND = 50
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_PATH = re.compile(r"/(?:embed|shorts|live|v)/([A-Za-z0-9_-]{11})/?")
_VIMEO_PATH = re.compile(
    r"/(?:video/|channels/[\w-]+/|groups/[\w-]+/videos/)?(\d{1,12})(?:/([0-9a-f]{6,20}))?/?"
)


def clean_link_url(url: str) -> str:
    """The site's one web-address check (core.weburls), under the name this module exports."""
    return clean_web_url(url)


def video_embed_url(url: str) -> str | None:
    """Player URL for a YouTube or Vimeo link, or None for any other site (shown as a plain link)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.").removeprefix("m.")
    if host in ("youtube.com", "youtube-nocookie.com", "music.youtube.com"):
        if parts.path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        else:
            match = _YOUTUBE_PATH.fullmatch(parts.path)
            video_id = match.group(1) if match else ""
        if _YOUTUBE_ID.fullmatch(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host == "youtu.be":
        video_id = parts.path.strip("/")
        if _YOUTUBE_ID.fullmatch(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host in ("vimeo.com", "player.vimeo.com"):
        match = _VIMEO_PATH.fullmatch(parts.path)
        if match:
            video_id, unlisted_hash = match.groups()
            suffix = f"?h={unlisted_hash}" if unlisted_hash else ""
            return f"https://player.vimeo.com/video/{video_id}{suffix}"
    return None


@transaction.atomic
def report_link_add(*, report: Report, kind: str, url: str, by: Any, title: str = "") -> ReportLink:
    """Add a source or video link (the kinds users may add; images come as attachments)."""
    if kind not in (ReportLink.Kind.SOURCE, ReportLink.Kind.VIDEO):
        raise ValidationError(_("Tipo di collegamento non ammesso."), code="invalid_kind")
    url = clean_link_url(url)
    Report.objects.select_for_update().filter(pk=report.pk).first()  # serialise numbering
    same_kind = ReportLink.objects.filter(report=report, kind=kind)
    if same_kind.filter(url=url).exists():
        raise ValidationError(_("Questo collegamento è già presente."), code="duplicate")
    if same_kind.count() >= MAX_LINKS_PER_KIND:
        raise ValidationError(
            _("Puoi aggiungere al massimo %(n)s collegamenti di questo tipo.") % {"n": MAX_LINKS_PER_KIND},
            code="too_many_links",
        )
    link = ReportLink(
        report=report,
        kind=kind,
        url=url,
        title=(title or "").strip()[:300],
        position=(same_kind.aggregate(m=Max("position"))["m"] or 0) + 1,
    )
    link.full_clean()
    link.save()
    log_action(
        link, action="report_link.created", actor=by, data={"report": report.pk, "kind": kind, "url": url}
    )
    reports_changed([report.pk], reason="report_link.created")
    return link


def source_link_add(*, report: Report, url: str, by: Any, title: str = "") -> ReportLink:
    return report_link_add(report=report, kind=ReportLink.Kind.SOURCE, url=url, by=by, title=title)


def video_link_add(*, report: Report, url: str, by: Any, title: str = "") -> ReportLink:
    return report_link_add(report=report, kind=ReportLink.Kind.VIDEO, url=url, by=by, title=title)


@transaction.atomic
def report_link_delete(*, link: ReportLink, by: Any) -> None:
    log_action(
        link,
        action="report_link.deleted",
        actor=by,
        data={"report": link.report_id, "kind": link.kind, "url": link.url},
    )
    reports_changed([link.report_id], reason="report_link.deleted")
    link.delete()
