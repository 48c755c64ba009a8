import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitora.catalogue.importing.columns import ImportFileError
from monitora.catalogue.importing.services import ImportAborted, catalogue_import
from monitora.catalogue.models import Territory

NO_TERRITORIES = (
    "Attenzione: nessun territorio caricato, quindi nessun progetto è collegato a un luogo "
    "(collegamenti luoghi 0). Carica i territori con `python manage.py load_territories` e "
    "reimporta con --localizzazioni."
)


class Progress:
    """tqdm bar (bytes, rows/s, ETA) on a terminal; a plain log line every few seconds otherwise."""

    def __init__(self, stream, every: float = 10.0):
        self.stream, self.every = stream, every
        self.bar = None
        self.rows = 0
        self.last = time.monotonic()
        self.started = self.last

    def file(self, path: Path, size: int) -> None:
        if self.bar:
            self.bar.close()
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=size, unit="B", unit_scale=True, desc=path.name, smoothing=0.1)
        self.started = time.monotonic()

    def __call__(self, nbytes: int, rows: int) -> None:
        self.rows += rows
        if self.bar is not None:
            self.bar.update(nbytes)
            rate = self.rows / max(time.monotonic() - self.started, 1e-6)
            self.bar.set_postfix_str(f"{self.rows} righe, {rate:,.0f} righe/s", refresh=False)
        elif time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            rate = self.rows / max(self.last - self.started, 1e-6)
            self.stream.write(f"... {self.rows} righe lette ({rate:,.0f} righe/s)")
            self.stream.flush()

    def close(self) -> None:
        if self.bar:
            self.bar.close()


class Command(BaseCommand):
    help = (
        "Import OpenCoesione progetti files (CSV or zip, full release or extracts) into the catalogue, "
        "in one transaction: upsert by COD_LOCALE_PROGETTO, unchanged rows skipped, never truncates."
    )
    # The system checks import every URLconf and view (~35 MB of a process whose peak the 2M
    # benchmark holds under 400 MB); they run on every deploy and web start, not in a batch job.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="progetti(_esteso) CSV files or zips")
        parser.add_argument(
            "--localizzazioni",
            action="append",
            type=Path,
            default=[],
            help="a localizzazioni file linking projects to territories (repeatable)",
        )
        parser.add_argument(
            "--full-release",
            action="store_true",
            help="the files are a COMPLETE release: mark catalogue projects missing from "
            "them as removed (never use with regional or per-cycle extracts)",
        )
        parser.add_argument(
            "--max-errors",
            type=int,
            default=100,
            help="abort (writing nothing) when more than N rows are rejected (default 100)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count everything, write nothing"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="PostgreSQL: loader connections that stage rows side by side (default 2); ignored on SQLite",
        )

    def handle(self, *args, **options):
        progress = Progress(self.stdout)
        try:
            run = catalogue_import(
                paths=options["files"],
                localizzazioni=options["localizzazioni"],
                full_release=options["full_release"],
                max_errors=options["max_errors"],
                dry_run=options["dry_run"],
                workers=options["workers"],
                progress=progress,
                on_file=progress.file,
            )
        except (ImportAborted, ImportFileError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        for error in run.errors[:20]:
            self.stderr.write(
                f"{error.get('file', '')}:{error['line']} [{error['column']}] {error['reason']} "
                f"({error['value']!r})"
            )
        self.stdout.write(
            f"Importazione #{run.pk} {run.get_status_display()}: lette {run.rows_read}, "
            f"inserite {run.inserted}, aggiornate {run.updated}, invariate {run.unchanged}, "
            f"scartate {run.rejected}, rimosse {run.removed}, collegamenti luoghi {run.places_linked}, "
            f"in {run.duration_seconds:.1f}s"
        )
        if not Territory.objects.exists():  # localizzazioni link nothing without territories
            self.stderr.write(self.style.WARNING(NO_TERRITORIES))
