from django.core.management.base import BaseCommand

from monitora.catalogue.importing.territories import territories_load


class Command(BaseCommand):
    help = "Load regions, provinces and comuni (ISTAT 2023, with a point inside each) from data/territori/."

    def handle(self, *args, **options):
        counts = territories_load()
        self.stdout.write(f"Territori: {counts['created']} creati, {counts['total']} in tutto.")
