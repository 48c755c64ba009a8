from django.urls import path

from . import views

app_name = "authoring"

urlpatterns = [
    path("area/", views.my_area, name="my_area"),
    path("report/nuovo/", views.report_new, name="report_new"),
    path("report/<int:report_id>/stato/", views.report_status, name="report_status"),
    path("report/<int:report_id>/modifica/", views.report_edit, name="report_edit"),
    path("report/<int:report_id>/invia/", views.report_submit, name="report_submit"),
    path("report/<int:report_id>/elimina/", views.report_delete, name="report_delete"),
    path("report/<int:report_id>/impatto/", views.impact_edit, name="impact_edit"),
    path("report/<int:report_id>/revisione/", views.revision_propose, name="revision_propose"),
    path("report/<int:report_id>/risposta/", views.response_add, name="response_add"),
    path("commenti/<int:comment_id>/risolvi/", views.comment_resolve, name="comment_resolve"),
]
