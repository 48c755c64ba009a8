"""Two accounts to try the workflow locally: an editor and an author who owns a team.

Does nothing unless DEBUG is on (never on a real site). Passwords are random and printed once;
if they are lost, use "password dimenticata" (e-mails go to the console in development).
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from monitora.teams.models import AuthorCategory, Membership, Team

ACCOUNTS = [
    ("redazione@example.org", {"is_staff": True}),
    ("autore@example.org", {}),
]


class Command(BaseCommand):
    help = "Create a demo editor and a demo author with a team (DEBUG only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("account di prova non creati: DEBUG è spento")
            return
        user_model = get_user_model()
        for email, flags in ACCOUNTS:
            if user_model.objects.filter(email=email).exists():
                self.stdout.write(f"{email}: esiste già")
                continue
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_user(username=email, email=email, password=password, **flags)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            self.stdout.write(f"{email}: password {password}")
        author = user_model.objects.get(email="autore@example.org")
        team, _created = Team.objects.get_or_create(
            slug="team-demo", defaults={"name": "Team demo", "category": AuthorCategory.CITIZEN}
        )
        Membership.objects.get_or_create(team=team, user=author, defaults={"role": Membership.Role.OWNER})
