"""Atom feeds of newly published reports: all, per region, per theme, per project.

Items come from the published-reports gate, newest publication first. The summary is HTML for
feed readers, so every piece of user text in it is escaped.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from monitora.catalogue.models import Project
from monitora.core.excerpt import beyond_title
from monitora.core.siteurl import site_url
from monitora.reports.authorship import public_byline
from monitora.search import geo
from monitora.search.filters import FilterError, ReportFilters, html_filters
from monitora.search.selectors import theme_label

from .exporters import ReportExporter, report_url

FEED_SIZE = 50


class LatestReportsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj=None) -> str:
        return _("Monitora: ultimi report di monitoraggio civico pubblicati")

    def link(self, obj=None) -> str:
        return site_url() + reverse("public:report_list")

    def subtitle(self, obj=None) -> str:
        return _("Report pubblicati con licenza CC BY-SA 4.0")

    def filters(self, obj) -> ReportFilters:
        return ReportFilters()

    def items(self, obj=None):
        return (
            ReportExporter(filters=self.filters(obj))
            .queryset()
            .exclude(published_at__isnull=True)
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item) -> str:
        return item.title

    def item_link(self, item) -> str:
        return site_url() + reverse("public:report_detail", args=[item.pk])

    def item_guid(self, item) -> str:
        return report_url(item.pk)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item) -> str:
        return public_byline(item)

    def item_categories(self, item) -> list[str]:
        return [c for c in (item.project.theme if item.project else "",) if c]

    def item_description(self, item) -> str:
        project = item.project.title if item.project else item.project_code
        if item.project and not beyond_title(project, item.title):  # the entry's title already says it
            project = item.project.code
        row = ReportExporter().row(item, *self._maps())
        judgement = row.get("gs_label") or row["effectiveness_label"]
        progress = row.get("stato_di_avanzamento_label") or row["progress_state_label"]
        return format_html(
            "<p>{}: {}</p><p>{}</p><p>{}</p>",
            _("Progetto"),
            escape(project or "—"),
            escape(progress),
            escape(judgement),
        )

    def _maps(self):
        if not hasattr(self, "_cached_maps"):
            self._cached_maps = ReportExporter()._maps()
        return self._cached_maps


class RegionReportsFeed(LatestReportsFeed):
    def get_object(self, request, code: str):
        region = geo.regions().get(code)
        if region is None:
            raise Http404
        return region

    def title(self, obj=None) -> str:
        return _("Monitora: report pubblicati in %(name)s") % {"name": obj.name}

    def filters(self, obj) -> ReportFilters:
        return ReportFilters(region=(obj.code,))


class ThemeReportsFeed(LatestReportsFeed):
    def get_object(self, request, theme: str):
        # The theme as the reports know it (their index), not only the catalogue: projects of the
        # demo catalogue have theme names without codes, so every theme feed answered 404.
        name = theme_label(theme)
        if not name:
            raise Http404
        return {"code": theme, "name": name}

    def title(self, obj=None) -> str:
        return _("Monitora: report pubblicati sul tema %(name)s") % {"name": obj["name"]}

    def filters(self, obj) -> ReportFilters:
        return ReportFilters(theme=(obj["code"],))


class ProjectReportsFeed(LatestReportsFeed):
    def get_object(self, request, code: str):
        return get_object_or_404(Project.objects.public(), code=code)

    def title(self, obj=None) -> str:
        return _("Monitora: report sul progetto %(code)s") % {"code": obj.code}

    def link(self, obj=None) -> str:
        return site_url() + reverse("public:project_detail", args=[obj.code])

    def filters(self, obj) -> ReportFilters:
        return ReportFilters(project_code=(obj.code,))


class SearchReportsFeed(LatestReportsFeed):
    """A saved report search as a feed: the search page's query string (`/feeds/cerca/?tema=09`)."""

    def get_object(self, request):
        try:
            return html_filters(request.GET)
        except FilterError:
            raise Http404 from None

    def title(self, obj=None) -> str:
        return _("Monitora: report pubblicati per la ricerca salvata")

    def link(self, obj=None) -> str:
        return reverse("search:reports")

    def filters(self, obj) -> ReportFilters:
        return obj
