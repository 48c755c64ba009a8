from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("nota/<int:note_id>/accetta/", views.note_accept, name="note_accept"),
    path("nota/<int:note_id>/correggi/", views.note_correct, name="note_correct"),
]
