from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitora.reports.importing.errors import ImportFailed
from monitora.reports.legacy.services import legacy_csv_import


class Command(BaseCommand):
    help = (
        "Importa l'archivio Monithon 2013-2019 (CSV come data/monithon/legacy-reports-sample.csv): "
        "ogni riga diventa un report pubblicato. Rieseguirlo non crea duplicati (chiave: ID_Monithon2)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV UTF-8, separato da virgole, con intestazione.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Controlla tutte le righe senza scrivere nulla nel database.",
        )

    def handle(self, *args, **options):
        try:
            result = legacy_csv_import(path=options["file"], dry_run=options["dry_run"])
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        for warning in result.warnings:
            self.stderr.write(warning)
        self.stdout.write(result.summary())
