from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("<int:pk>/file/", views.attachment_file, name="file"),
    path("<int:pk>/anteprima/<int:size>/", views.attachment_thumbnail, name="thumbnail"),
    path("<int:pk>/elimina/", views.attachment_delete, name="delete"),
    path("<int:pk>/copertina/", views.attachment_cover, name="cover"),
    path("report/<int:report_id>/", views.attachment_panel, name="panel"),
    path("report/<int:report_id>/link/", views.link_add, name="link_add"),
    path("link/<int:pk>/elimina/", views.link_delete, name="link_delete"),
]
