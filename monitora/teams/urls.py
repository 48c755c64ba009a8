from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("nuovo/", views.team_create, name="create"),
    path("invito/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.team_detail, name="detail"),
    path("<slug:slug>/invita/", views.team_invite, name="invite"),
    path("<slug:slug>/rimuovi/<int:user_id>/", views.team_remove, name="remove"),
    path("<slug:slug>/ruolo/<int:user_id>/", views.team_set_role, name="set_role"),
    path("<slug:slug>/lascia/", views.team_leave, name="leave"),
]
