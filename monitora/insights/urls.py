from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("discrepanze/", views.discrepancy_index, name="discrepancies"),
    path("discrepanze/<int:pk>/archivia/", views.discrepancy_dismiss_view, name="dismiss"),
]
