from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("statistiche/", views.statistics_page, name="statistics"),
    path("statistiche/<slug:slug>.csv", views.statistics_csv, name="csv"),
    path("statistiche/excel/<slug:slug>.csv", views.statistics_csv, {"excel": True}, name="csv_excel"),
]
