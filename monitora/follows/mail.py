"""The e-mails of follows: one per event (immediate) or one digest per person and period.

Plain text, every link absolute; each follow mentioned carries its one-click unsubscribe link in
the body. No List-Unsubscribe header: the signed link is longer than a header line, and the
e-mail library would fold it into an encoded word that mail clients do not read as a URL.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from monitora.core.mail import one_line

from .models import Delivery, EventKind, Follow, Notification
from .services import unsubscribe_token


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def unsubscribe_url(follow: Follow) -> str:
    return absolute(reverse("follows:unsubscribe", args=[unsubscribe_token(follow)]))


def _footer(follows: Iterable[Follow]) -> str:
    lines = ["--", _("Gestisci ciò che segui: %(url)s") % {"url": absolute(reverse("follows:mine"))}]
    for follow in follows:
        lines.append(
            _("Non seguire più «%(label)s»: %(url)s")
            % {"label": follow.label, "url": unsubscribe_url(follow)}
        )
    return "\n".join(lines) + "\n"


def notification_message(notification: Notification) -> EmailMessage:
    event, follow = notification.event, notification.follow
    body = (
        f"{event.get_kind_display()}: {event.title}\n{absolute(event.url)}\n\n"
        + _("Ricevi questo messaggio perché segui «%(label)s».") % {"label": follow.label}
        + "\n\n"
        + _footer([follow])
    )
    return EmailMessage(
        subject=one_line(f"[Monitora] {event.title}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.user.email],
    )


def digest_message(*, email: str, period: str, notifications: list[Notification]) -> EmailMessage:
    heading = _("Riepilogo giornaliero") if period == Delivery.DAILY else _("Riepilogo settimanale")
    lines = [
        heading + " · Monitora",
        "",
        _("%(n)d novità su ciò che segui:") % {"n": len(notifications)},
        "",
    ]
    follows: dict[int, Follow] = {}
    # Translated once per e-mail, not per line: a digest of 10,000 people is 100,000 lines.
    kinds = {value: str(label) for value, label in EventKind.choices}
    because = _("perché segui «%(label)s»")
    for n in notifications:
        lines.append(f"- {kinds.get(n.event.kind, n.event.kind)}: {n.event.title}")
        lines.append(f"  {absolute(n.event.url)}")
        lines.append("  " + because % {"label": n.follow.label})
        follows.setdefault(n.follow_id, n.follow)
    lines.append("")
    return EmailMessage(
        subject=one_line(f"[Monitora] {heading}: {len(notifications)}"),
        body="\n".join(lines) + "\n" + _footer(follows.values()),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
