"""Recompute discrepancies, similar reports and recurring problems for every published report."""

import time

from django.core.management.base import BaseCommand

from monitora.insights.discrepancies import discrepancies_compute
from monitora.insights.recurring import recurring_rebuild
from monitora.insights.similarity import rebuild


class Command(BaseCommand):
    help = (
        "Run every discrepancy rule on all published reports (time-based rules need it daily), "
        "rebuild the similar-reports index and the recurring problems of the statistics page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            choices=["discrepancies", "similarity", "recurring"],
            action="append",
            help="Run only these parts (repeatable); all by default.",
        )

    def handle(self, *args, only=None, **options):
        parts = only or ["discrepancies", "similarity", "recurring"]
        for part, run in (
            ("discrepancies", discrepancies_compute),
            ("similarity", rebuild),
            ("recurring", recurring_rebuild),
        ):
            if part in parts:
                started = time.monotonic()
                result = run()
                self.stdout.write(f"{part}: {result} ({time.monotonic() - started:.1f} s)")
