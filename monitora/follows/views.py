"""Follow, list one's follows, change delivery, stop following (also by signed link, no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitora.core.permissions import can

from . import services
from .models import Delivery, Follow
from .selectors import follows_of
from .targets import target_resolve


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "follows:mine"


def _own_follow(request: HttpRequest, follow_id: int) -> Follow:
    """Someone else's follow is a 404, not a 403: its existence is private too."""
    follow = Follow.objects.filter(pk=follow_id).first()
    if follow is None or not can(request.user, "follow.change", follow):
        raise Http404
    return follow


@login_required
def follow_create(request: HttpRequest) -> HttpResponse:
    """GET: confirm what to follow and how (linked from pages where a form cannot go); POST: follow."""
    if request.method != "POST":
        resolved = target_resolve(request.GET.get("kind", ""), request.GET.get("target", ""))
        if resolved is None:
            raise Http404
        context = {"t": resolved, "deliveries": Delivery.choices, "next": request.GET.get("next", "")}
        return render(request, "follows/create.html", context)
    try:
        follow = services.follow_create(
            user=request.user,
            kind=request.POST.get("kind", ""),
            target=request.POST.get("target", ""),
            delivery=request.POST.get("delivery", Delivery.IMMEDIATE),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Ora segui «%(label)s».") % {"label": follow.label})
    return redirect(_next(request))


@login_required
def my_follows(request: HttpRequest) -> HttpResponse:
    return render(
        request, "follows/mine.html", {"follows": follows_of(request.user), "deliveries": Delivery.choices}
    )


@login_required
@require_POST
def follow_delivery(request: HttpRequest, follow_id: int) -> HttpResponse:
    follow = _own_follow(request, follow_id)
    try:
        services.follow_set_delivery(
            follow=follow, by=request.user, delivery=request.POST.get("delivery", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Preferenza salvata per «%(label)s».") % {"label": follow.label})
    return redirect("follows:mine")


@login_required
@require_POST
def follow_delete(request: HttpRequest, follow_id: int) -> HttpResponse:
    follow = _own_follow(request, follow_id)
    label = follow.label
    services.follow_delete(follow=follow, by=request.user)
    messages.success(request, _("Non segui più «%(label)s».") % {"label": label})
    return redirect(_next(request))


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail link: a page with one button (GET never changes anything: mail scanners follow
    links); the signed token is the only credential, a tampered one is refused."""
    try:
        follow = services.unsubscribe_follow(token)
    except signing.BadSignature:
        return render(request, "follows/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        done = services.follow_unsubscribe(token=token)
        return render(request, "follows/unsubscribe.html", {"done": True, "removed": done})
    return render(request, "follows/unsubscribe.html", {"follow": follow, "token": token})
