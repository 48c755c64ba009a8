"""Demo data for `make run`: a plain list of steps, each idempotent, run in order.

To add a step (e.g. the catalogue samples), append a `DemoStep` to `STEPS`; keep each step a call
to an ordinary management command so it can also be run by hand.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DATA_DIR = Path(settings.BASE_DIR) / "data"


@dataclass(frozen=True)
class DemoStep:
    label: str
    run: Callable[[BaseCommand], None]


def _command(name: str, *args: str) -> Callable[[BaseCommand], None]:
    def run(command: BaseCommand) -> None:
        call_command(name, *args, stdout=command.stdout, stderr=command.stderr)

    return run


STEPS: list[DemoStep] = [
    DemoStep("questionari", _command("sync_questionnaires")),
    DemoStep("catalogo OpenCoesione (territori e progetti di esempio)", _command("load_catalogue_demo")),
    DemoStep(
        "report di esempio (testo pubblicato)",
        _command(
            "import_report_text", str(DATA_DIR / "examples" / "wecare-report.txt"), "--questionnaire", "v2019"
        ),
    ),
    DemoStep(
        "archivio Monithon 2013-2019 (campione)",
        _command("import_monithon_csv", str(DATA_DIR / "monithon" / "legacy-reports-sample.csv")),
    ),
    DemoStep("account di prova (redazione, autore)", _command("create_demo_accounts")),
    # Keep last: search, map and statistics read the index of published reports.
    DemoStep("indice di ricerca", _command("reindex_reports")),
]


class Command(BaseCommand):
    help = "Load the demo data shipped in data/ (idempotent: loading twice changes nothing)."

    def handle(self, *args, **options):
        for number, step in enumerate(STEPS, start=1):
            self.stdout.write(f"[{number}/{len(STEPS)}] {step.label}")
            step.run(self)
