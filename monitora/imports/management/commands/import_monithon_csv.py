from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitora.imports.errors import ImportFailed
from monitora.imports.legacy.services import legacy_csv_import


class Command(BaseCommand):
    help = (
        "Importa l'archivio Monithon 2013-2019 (CSV come data/monithon/legacy-reports-sample.csv): "
        "ogni riga diventa un report pubblicato. Rieseguirlo non crea duplicati (chiave: ID_Monithon2). "
        "Un valore non valido non blocca il record: il campo resta vuoto e il valore originale diventa "
        "una nota per la redazione (Redazione > Qualità dei dati), salvo con --strict."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV UTF-8, separato da virgole, con intestazione.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Controlla tutte le righe senza scrivere nulla nel database.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Rifiuta l'intero file al primo valore non valido (elencandoli tutti) invece di "
            "conservarli come note.",
        )

    def handle(self, *args, **options):
        try:
            result = legacy_csv_import(
                path=options["file"], dry_run=options["dry_run"], strict=options["strict"]
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(result.summary())
