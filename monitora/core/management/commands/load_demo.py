from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo data shipped in data/ (idempotent: loading twice changes nothing)."

    def handle(self, *args, **options):
        call_command("sync_questionnaires", stdout=self.stdout)
        call_command("load_catalogue_demo", stdout=self.stdout)
