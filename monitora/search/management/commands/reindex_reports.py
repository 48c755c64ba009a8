from django.core.management.base import BaseCommand

from monitora.search.services import report_search_reindex


class Command(BaseCommand):
    help = "Rebuild the search index of published reports (drops reports no longer published)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Reports indexed per transaction (default 500)."
        )

    def handle(self, *args, batch_size: int, **options):
        indexed, removed = report_search_reindex(batch_size=batch_size)
        self.stdout.write(f"Indicizzati {indexed} report pubblicati; rimossi {removed} non più pubblicati.")
