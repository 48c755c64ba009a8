from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/<int:report_id>/", views.review, name="review"),
    path("report/<int:report_id>/azione/", views.act, name="act"),
    path("report/<int:report_id>/commento/", views.comment_add, name="comment_add"),
    path("report/<int:report_id>/registro/", views.audit_log, name="audit_log"),
    path("revisione/<int:revision_id>/", views.revision_decide, name="revision_decide"),
    path("rappresentanti/", views.representatives, name="representatives"),
    path("risposte/<int:response_id>/nascondi/", views.response_hide, name="response_hide"),
]
