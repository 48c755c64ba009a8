from django.urls import path

from monitora.catalogue.changes import CATALOGUE_SCOPE
from monitora.core.pagecache import cached_public_page
from monitora.core.throttle import throttled as t
from monitora.reports.changes import REPORTS_SCOPE

from . import feeds, views

# Feeds show reports and project titles: cached like the lists, recomputed when either changes.
feed = cached_public_page((REPORTS_SCOPE, CATALOGUE_SCOPE))

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="index"),
    path("open-data/dizionario/", views.dictionary, name="dictionary"),
    path("open-data/datapackage.json", views.datapackage, name="datapackage"),
    path("open-data/<str:filename>", views.download, name="download"),
    path("feeds/report/", feed(t("opendata")(feeds.LatestReportsFeed())), name="feed_all"),
    path("feeds/regioni/<str:code>/", feed(t("opendata")(feeds.RegionReportsFeed())), name="feed_region"),
    path("feeds/cerca/", feed(t("opendata")(feeds.SearchReportsFeed())), name="feed_search"),
    path("feeds/temi/<str:theme>/", feed(t("opendata")(feeds.ThemeReportsFeed())), name="feed_theme"),
    path("feeds/progetti/<path:code>/", feed(t("opendata")(feeds.ProjectReportsFeed())), name="feed_project"),
]
