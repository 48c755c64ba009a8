from django.urls import path

from . import feeds, views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="index"),
    path("open-data/dizionario/", views.dictionary, name="dictionary"),
    path("open-data/datapackage.json", views.datapackage, name="datapackage"),
    path("open-data/<str:filename>", views.download, name="download"),
    path("feeds/report/", feeds.LatestReportsFeed(), name="feed_all"),
    path("feeds/regioni/<str:code>/", feeds.RegionReportsFeed(), name="feed_region"),
    path("feeds/cerca/", feeds.SearchReportsFeed(), name="feed_search"),
    path("feeds/temi/<str:theme>/", feeds.ThemeReportsFeed(), name="feed_theme"),
    path("feeds/progetti/<path:code>/", feeds.ProjectReportsFeed(), name="feed_project"),
]
