from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.project_search_page, name="search"),
]
