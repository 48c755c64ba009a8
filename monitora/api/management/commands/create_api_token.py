from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from monitora.api.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Username of the token's owner")
        parser.add_argument("--name", default="cli", help="What the token is for (shown in the admin)")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"utente {options['username']!r} inesistente")
        try:
            token, raw = api_token_create(user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(f"Token {token.prefix} creato per {user}: copialo ora, non sarà più mostrato.")
        self.stdout.write(raw)
