from django.core.management.base import BaseCommand, CommandError

from monitora.reports.models import Report
from monitora.reports.textformat.render import report_export_text


class Command(BaseCommand):
    help = "Stampa un report pubblicato nel formato testo della pagina pubblica."

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int, help="ID del report pubblicato.")

    def handle(self, *args, **options):
        try:
            report = (
                Report.objects.published()
                .select_related("questionnaire", "team")
                .get(pk=options["report_id"])
            )
        except Report.DoesNotExist:
            raise CommandError(f"Il report {options['report_id']} non esiste o non è pubblicato.") from None
        self.stdout.write(report_export_text(report=report), ending="")
