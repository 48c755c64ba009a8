from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitora.imports.errors import ImportFailed
from monitora.imports.textformat.services import TEXT_QUESTIONNAIRES, report_import_text


class Command(BaseCommand):
    help = (
        "Importa un report pubblicato in formato testo (come data/examples/wecare-report.txt) come "
        "report PUBBLICATO. Reimportare lo stesso file aggiorna lo stesso report."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="File di testo UTF-8 nel formato della pagina pubblica.")
        parser.add_argument(
            "--questionnaire",
            default="v2019",
            choices=TEXT_QUESTIONNAIRES,
            help="Versione del questionario con cui il report è stato scritto (default: v2019).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Controlla il file senza scrivere nulla nel database."
        )

    def handle(self, *args, **options):
        try:
            result = report_import_text(
                path=options["file"], questionnaire_code=options["questionnaire"], dry_run=options["dry_run"]
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary())
        if not result.dry_run:
            self.stdout.write("report: " + ", ".join(f"#{pk}" for pk in result.report_ids))
