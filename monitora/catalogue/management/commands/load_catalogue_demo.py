from django.conf import settings
from django.core.management.base import BaseCommand

from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.importing.territories import territories_load

DATA = settings.BASE_DIR / "data" / "opencoesione"
SAMPLES = ("progetti-beni-confiscati-sample.csv", "umbria-difesa-suolo-with-points.csv")


class Command(BaseCommand):
    help = "Load territories and the real OpenCoesione sample files shipped in data/ (idempotent)."

    def handle(self, *args, **options):
        counts = territories_load()
        run = catalogue_import(
            paths=[DATA / name for name in SAMPLES], localizzazioni=[DATA / "localizzazioni-sample.csv"]
        )
        self.stdout.write(
            f"Catalogo demo: {counts['created']} territori creati; progetti lette {run.rows_read}, "
            f"inseriti {run.inserted}, aggiornati {run.updated}, invariati {run.unchanged}."
        )
