from django.urls import path

from . import language, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("lingua/<str:code>/", language.switch_language, name="language"),
    path("report/", views.report_list, name="report_list"),
    path("report/<int:report_id>/", views.report_detail, name="report_detail"),
    path("report/<int:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("privacy/", views.privacy, name="privacy"),
    path("progetti/<path:code>/", views.project_detail, name="project_detail"),
]
