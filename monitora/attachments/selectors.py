"""Reads of attachments and links, for the team's panel and for public pages."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from monitora.core.compiled import Bind, CompiledQuery
from monitora.reports.models import Report, ReportLink

from .links import video_embed_url
from .models import Attachment


@dataclass(frozen=True)
class VideoLink:
    link: ReportLink
    embed_url: str | None


def attachment_list(*, report: Report) -> QuerySet[Attachment]:
    """All attachments of a report, for people already allowed to see it unpublished."""
    return Attachment.objects.filter(report=report).order_by("-is_cover", "position", "id")


def attachment_list_public(*, report: Report) -> QuerySet[Attachment]:
    """Attachments shown on the public page: empty unless the report passes the published gate."""
    return (
        Attachment.objects.of_published_reports()
        .filter(report=report)
        .order_by("-is_cover", "position", "id")
    )


# What the public page's MATERIALI box shows of an upload (`public/_report_materials.html`).
MATERIAL_FIELDS = ("kind", "original_name", "caption", "width", "height", "size")
_PUBLIC_MATERIALS = CompiledQuery(
    lambda: (
        Attachment.objects.of_published_reports()
        .filter(report_id=Bind("report", models.BigIntegerField()))
        .order_by("-is_cover", "position", "id")
        .only(*MATERIAL_FIELDS)
    )
)
_LINKS = CompiledQuery(
    lambda: ReportLink.objects.filter(report_id=Bind("report", models.BigIntegerField())).order_by(
        "kind", "position"
    )
)


def public_materials(report_id: int) -> list[Attachment]:
    """`attachment_list_public` with only the MATERIAL_FIELDS, compiled once (every uncached
    report page and PDF reads it)."""
    return _PUBLIC_MATERIALS(report=report_id)


def report_links(report_id: int) -> list[ReportLink]:
    """All links of a report in the Meta order (kind, position), compiled once."""
    return _LINKS(report=report_id)


def _web_links(report: Report, kind: str) -> QuerySet[ReportLink]:
    """Links of one kind that are safe in an href: http(s) only. Rows written by importers or
    older code that skipped `clean_link_url` (e.g. a `javascript:` URL) are never rendered."""
    return (
        report.links.filter(kind=kind)
        .filter(Q(url__istartswith="http://") | Q(url__istartswith="https://"))
        .order_by("position", "id")
    )


def report_source_links(*, report: Report) -> QuerySet[ReportLink]:
    return _web_links(report, ReportLink.Kind.SOURCE)


def report_video_links(*, report: Report) -> list[VideoLink]:
    return [
        VideoLink(link=link, embed_url=video_embed_url(link.url))
        for link in _web_links(report, ReportLink.Kind.VIDEO)
    ]


def attachment_panel_context(
    *,
    report: Report,
    errors: list[str] | None = None,
    link_errors: list[str] | None = None,
    next_url: str = "",
    show_links: bool = True,
) -> dict:
    """What `attachments/_upload.html` needs (for people allowed to manage the attachments).

    `next_url`: where plain (non-htmx) form posts return; `show_links`: False on pages that edit
    links themselves (the guided form has its own link fields).
    """
    return {
        "report": report,
        "next_url": next_url,
        "show_links": show_links,
        "attachments": attachment_list(report=report),
        "source_links": report_source_links(report=report),
        "video_links": report_video_links(report=report),
        "errors": errors or [],
        "link_errors": link_errors or [],
        "max_size": settings.ATTACHMENT_MAX_SIZE,
        "link_kinds": ReportLink.Kind,
    }
