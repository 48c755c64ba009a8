"""Write the open data files, the same bytes the site streams at /open-data/."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitora.opendata.datapackage import FILES, datapackage_descriptor
from monitora.opendata.exporters import EXPORTERS
from monitora.opendata.published import publish_files
from monitora.opendata.renderers import render

FORMATS = ("csv", "csv-semicolon", "json", "geojson", "datapackage")


class Command(BaseCommand):
    help = (
        "Export all published reports. With --publish the whole package goes to the site's storage, "
        "where /open-data/ serves it. With --format csv|csv-semicolon|json|geojson OUT is a file "
        "('-' for standard output); with --format datapackage OUT is a directory that receives "
        "datapackage.json and every file it describes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "out", nargs="?", help="Output file, '-' for stdout, or a directory for --format datapackage"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Write every file of the package to the site's storage and serve them at /open-data/ "
            "(run from the scheduler; no OUT)",
        )
        parser.add_argument("--format", choices=FORMATS, default="csv", help="Output format (default csv)")
        parser.add_argument(
            "--dataset",
            choices=sorted(EXPORTERS),
            default="reports",
            help="Which list: all reports (default) or the link list for OpenCoesione",
        )
        parser.add_argument("--delimiter", choices=[",", ";"], help="CSV separator (csv only; default ',')")

    def handle(self, *args, **options):
        fmt, out = options["format"], options["out"]
        if options["publish"]:
            if out:
                raise CommandError("--publish writes to the site's storage: give no OUT")
            self.stderr.write(f"pubblicati i file open data {publish_files()}")
            return
        if not out:
            raise CommandError("indica OUT (un file, '-' o una cartella), oppure --publish")
        if fmt == "datapackage":
            self._write_package(out)
            return
        if options["delimiter"] == ";" and fmt == "csv":
            fmt = "csv-semicolon"
        if options["dataset"] == "opencoesione-links" and fmt == "geojson":
            raise CommandError("the OpenCoesione link list has no coordinates: use csv or json")
        exporter = EXPORTERS[options["dataset"]]()
        if out == "-":
            for chunk in render(exporter, fmt):
                sys.stdout.write(chunk)
            return
        self._write(Path(out), render(exporter, fmt))
        self.stderr.write(f"scritto {out}")

    def _write(self, path: Path, chunks) -> None:
        if path.is_dir():
            raise CommandError(f"{path} è una cartella: indica un file (o --format datapackage)")
        if not path.parent.exists():
            raise CommandError(f"la cartella {path.parent} non esiste")
        # Write beside and rename, so a failed export never leaves a truncated file in place.
        tmp = path.with_name(path.name + ".part")
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
        tmp.replace(path)

    def _write_package(self, out: str) -> None:
        directory = Path(out)
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} esiste e non è una cartella")
        directory.mkdir(parents=True, exist_ok=True)
        for name, (exporter_class, fmt) in FILES.items():
            self._write(directory / name, render(exporter_class(), fmt))
        descriptor = json.dumps(datapackage_descriptor(), ensure_ascii=False, indent=2)
        (directory / "datapackage.json").write_text(descriptor + "\n", encoding="utf-8")
        self.stderr.write(f"scritto il pacchetto in {directory}")
