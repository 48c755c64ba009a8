from django.urls import path

from monitora.core.throttle import throttled as t

from . import feeds, views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="index"),
    path("open-data/dizionario/", views.dictionary, name="dictionary"),
    path("open-data/datapackage.json", views.datapackage, name="datapackage"),
    path("open-data/<str:filename>", views.download, name="download"),
    path("feeds/report/", t("opendata")(feeds.LatestReportsFeed()), name="feed_all"),
    path("feeds/regioni/<str:code>/", t("opendata")(feeds.RegionReportsFeed()), name="feed_region"),
    path("feeds/temi/<str:theme>/", t("opendata")(feeds.ThemeReportsFeed()), name="feed_theme"),
    path("feeds/progetti/<path:code>/", t("opendata")(feeds.ProjectReportsFeed()), name="feed_project"),
]
