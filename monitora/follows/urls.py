from django.urls import path

from . import views

app_name = "follows"

urlpatterns = [
    path("", views.my_follows, name="mine"),
    path("nuovo/", views.follow_create, name="create"),
    path("<int:follow_id>/consegna/", views.follow_delivery, name="delivery"),
    path("<int:follow_id>/elimina/", views.follow_delete, name="delete"),
    path("annulla/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
