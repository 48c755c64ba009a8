from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report_list, name="report_list"),
    path("report/<int:report_id>/", views.report_detail, name="report_detail"),
    path("report/<int:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("privacy/", views.privacy, name="privacy"),
    path("progetti/<path:code>/", views.project_detail, name="project_detail"),
]
