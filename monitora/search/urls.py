from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("cerca/", views.report_search_page, name="reports"),
    path("cerca/mappa.geojson", views.map_points, name="map_points"),
    path("cerca/regioni.geojson", views.map_regions, name="map_regions"),
]
