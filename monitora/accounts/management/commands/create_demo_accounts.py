"""Two accounts to try the workflow locally: an editor and an author who owns a team.

Does nothing unless DEBUG is on (never on a real site). Each password is derived from SECRET_KEY
and the address, so the command can print it again on every `make run` (`--banner`) without
storing it; `--reset-passwords` puts back a password that was changed or forgotten.
"""

import base64
import hashlib
import hmac

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from monitora.teams.models import AuthorCategory, Membership, Team

ACCOUNTS = [
    ("redazione@example.org", {"is_staff": True}, "redazione: coda di revisione in /redazione/"),
    ("autore@example.org", {}, "autore, proprietario del «Team demo»: /area/"),
]
RESET_COMMAND = "make demo-passwords (= manage.py create_demo_accounts --reset-passwords)"


def demo_password(email: str) -> str:
    """Stable for one SECRET_KEY, unguessable without it (development only)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"monitora-demo:{email}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode()[:16]


class Command(BaseCommand):
    help = "Create a demo editor and a demo author with a team (DEBUG only; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="set the demo accounts' passwords back to the ones printed (also re-activates them)",
        )
        parser.add_argument(
            "--banner", action="store_true", help="print only the summary box (used at the end of make run)"
        )
        parser.add_argument("--url", default="", help="the address being served, shown in the banner")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("account di prova non creati: DEBUG è spento")
            return
        user_model = get_user_model()
        lines = []
        for email, flags, role in ACCOUNTS:
            password = demo_password(email)
            user = user_model.objects.filter(email=email).first()
            if user is None:
                user = user_model.objects.create_user(username=email, email=email, password=password, **flags)
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
                if not options["banner"]:
                    self.stdout.write(f"{email}: creato")
            elif options["reset_passwords"]:
                user.set_password(password)
                user.is_active = True
                user.save(update_fields=["password", "is_active"])
                self.stdout.write(f"{email}: password reimpostata")
            elif not options["banner"]:
                self.stdout.write(f"{email}: esiste già")
            shown = (
                password if user.check_password(password) else "(cambiata da te: vedi sotto per reimpostarla)"
            )
            lines.append(f"  {email:<24} password {shown}\n  {'':<24} {role}")
        author = user_model.objects.get(email="autore@example.org")
        team, _created = Team.objects.get_or_create(
            slug="team-demo", defaults={"name": "Team demo", "category": AuthorCategory.CITIZEN}
        )
        Membership.objects.get_or_create(team=team, user=author, defaults={"role": Membership.Role.OWNER})
        self._summary(lines, options["url"])

    def _summary(self, lines: list[str], url: str) -> None:
        rule = "=" * 78
        out = [rule]
        if url:
            out.append(f"  Monitora (sviluppo): {url}")
        out += ["  Account di prova (solo con DEBUG):", *lines]
        out += [f"  Password perse o cambiate? {RESET_COMMAND}", rule]
        self.stdout.write("\n".join(out))
