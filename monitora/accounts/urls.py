from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profilo/", views.profile, name="profile"),
    path("dati/", views.data_download, name="data_download"),
    path("elimina/", views.account_delete, name="delete"),
]
