"""Team pages: create, members, invitations (by e-mail link), removal."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from monitora.core.permissions import can, permission_required
from monitora.core.throttle import Throttled, throttle, too_many_requests

from . import services
from .models import AuthorCategory, Team


class TeamForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nome del team"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("Categoria"), choices=AuthorCategory.choices)
    school_name = forms.CharField(
        label=gettext_lazy("Istituto (solo scuole)"), max_length=300, required=False
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail della persona da invitare"))


def get_team(request: HttpRequest, slug: str) -> Team:
    """The team of the URL, or 404 for anyone who may not see it (permission_required passes it
    only `slug`, not the member id of `rimuovi/<user_id>/`)."""
    team = Team.objects.filter(slug=slug).first()
    if team is None or not can(request.user, "team.view", team):
        raise Http404
    return team


def _error(request, exc: ValidationError) -> None:
    messages.error(request, "; ".join(exc.messages))


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Team creato: ora puoi invitare i membri."))
            return redirect("teams:detail", team.slug)
    return render(request, "teams/team_form.html", {"form": form})


@permission_required("team.view", get_team)
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = request.perm_obj
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "memberships": team.memberships.select_related("user").order_by("role", "created_at"),
            "invitations": team.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True),
            "can_manage": can(request.user, "team.manage", team),
            "is_member": can(request.user, "team.create_report", team),
            "invite_form": InviteForm(),
        },
    )


@require_POST
@permission_required("team.manage", get_team)
def team_invite(request: HttpRequest, slug: str) -> HttpResponse:
    team = request.perm_obj
    try:
        # An invitation mails an address the sender typed: limited per person and per team.
        throttle(request, "invite_user", key=f"user:{request.user.pk}")
        throttle(request, "invite_team", key=f"team:{team.pk}")
    except Throttled as exc:
        return too_many_requests(request, exc)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(team=team, by=request.user, email=form.cleaned_data["email"])
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Invito inviato."))
    else:
        messages.error(request, _("Indirizzo e-mail non valido."))
    return redirect("teams:detail", team.slug)


@require_POST
@permission_required("team.manage", get_team)
def team_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    team = request.perm_obj
    try:
        services.member_remove(team=team, by=request.user, user_id=user_id)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Membro rimosso."))
    return redirect("teams:detail", team.slug)


@require_POST
@permission_required("team.manage", get_team)
def team_set_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    team = request.perm_obj
    try:
        role = request.POST.get("role", "")
        services.member_set_role(team=team, by=request.user, user_id=user_id, role=role)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Ruolo aggiornato."))
    return redirect("teams:detail", team.slug)


@require_POST
@permission_required("team.view", get_team)
def team_leave(request: HttpRequest, slug: str) -> HttpResponse:
    team = request.perm_obj
    try:
        services.member_leave(team=team, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("teams:detail", team.slug)
    messages.success(request, _("Hai lasciato il team %(team)s.") % {"team": team.name})
    return redirect("authoring:my_area")


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the invitation, POST accepts it: a link preview never joins anyone to a team."""
    invitation = services.invitation_get(token)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, by=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Benvenuto nel team %(team)s!") % {"team": membership.team.name})
            return redirect("teams:detail", membership.team.slug)
    return render(
        request, "teams/invitation.html", {"invitation": invitation}, status=200 if invitation else 404
    )
