"""Benchmark: the open data export streams with constant memory.

For each size, one subprocess fills a fresh SQLite database with N published reports (each with
the answers of a typical v2022 report, a link and a located project), then a *separate* subprocess
runs `manage.py export_opendata` for every format and reports its peak RSS (ru_maxrss), so the
figure measures the export alone. The run fails if peak(100k) > 1.3 x peak(1k).

    .venv/bin/python bench/opendata_export.py                 # sizes 1000 and 100000
    .venv/bin/python bench/opendata_export.py --sizes 1000 20000
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("csv", "json", "geojson")
LIMIT = 1.3


def _env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "PYTHONPATH": str(ROOT),
    }


def fill(n: int) -> None:
    """Runs in a subprocess: create N published reports with answers, fast (bulk inserts)."""
    import datetime as dt
    import random

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from monitora.catalogue.models import Project, Territory
    from monitora.questionnaires.models import Option, Question, Questionnaire
    from monitora.reports.models import Answer, Report, ReportLink, ReportStatus
    from monitora.teams.models import Team

    rnd = random.Random(n)
    region = Territory.objects.create(code="15", kind="R", name="Campania")
    province = Territory.objects.create(code="061", kind="P", name="Caserta", parent=region)
    comune = Territory.objects.create(code="061022", kind="C", name="Caserta", parent=province)
    projects = Project.objects.bulk_create(
        Project(code=f"1BENCH{i:06d}", title=f"Progetto {i}", theme_code="09", theme="Cultura e turismo")
        for i in range(max(1, n // 10))
    )
    Project.territories.through.objects.bulk_create(
        Project.territories.through(project_id=p.pk, territory_id=comune.pk) for p in projects
    )
    team = Team.objects.create(name="Classe 4B", slug="classe-4b")
    questionnaire = Questionnaire.objects.get(code="v2022")
    questions = {q.key: q for q in Question.objects.filter(questionnaire=questionnaire)}
    options = {
        (o.question_id, o.code): o for o in Option.objects.filter(question__questionnaire=questionnaire)
    }
    published = dt.datetime(2024, 3, 5, tzinfo=dt.UTC)
    batch = 2000
    for start in range(0, n, batch):
        reports = Report.objects.bulk_create(
            Report(
                title=f"Report {i} =SUM(A1)",
                questionnaire=questionnaire,
                project=projects[i % len(projects)],
                project_code=projects[i % len(projects)].code,
                team=team,
                status=ReportStatus.PUBLISHED,
                submitted_at=published,
                published_at=published,
                latitude=40 + rnd.random(),
                longitude=14 + rnd.random(),
            )
            for i in range(start, min(n, start + batch))
        )
        answers = []
        for report in reports:
            progress = str(rnd.randint(1, 7))
            answers += [
                Answer(report=report, question=questions["obiettivi"], text="Obiettivi " * 20),
                Answer(report=report, question=questions["avanzamento"], text="Avanzamento " * 40),
                Answer(report=report, question=questions["punti_di_forza"], text="Forza " * 30),
                Answer(
                    report=report,
                    question=questions["stato_di_avanzamento"],
                    option=options[(questions["stato_di_avanzamento"].pk, progress)],
                ),
                Answer(
                    report=report,
                    question=questions["gs"],
                    option=options[(questions["gs"].pk, str(rnd.randint(1, 4)))],
                ),
                Answer(report=report, question=questions["visita_diretta"], boolean=True),
                Answer(report=report, question=questions["raccolta_info_web"], boolean=False),
            ]
        Answer.objects.bulk_create(answers)
        ReportLink.objects.bulk_create(
            ReportLink(report=r, kind="source", url=f"https://example.org/{r.pk}") for r in reports
        )


def export(out_dir: str) -> None:
    """Runs in a subprocess: export every format, print peak RSS in KiB and timings as JSON."""
    import resource

    import django

    django.setup()
    from django.core.management import call_command

    timings = {}
    for fmt in FORMATS:
        started = time.perf_counter()
        path = Path(out_dir) / f"reports.{fmt}"
        call_command("export_opendata", str(path), "--format", fmt, stderr=open(os.devnull, "w"))  # noqa: SIM115
        timings[fmt] = {"seconds": round(time.perf_counter() - started, 2), "bytes": path.stat().st_size}
        path.unlink()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_rss_kib": peak_kib, "formats": timings}))


def run(sizes: list[int]) -> int:
    results = {}
    with tempfile.TemporaryDirectory(prefix="monitora-bench-") as tmp:
        for n in sizes:
            db = Path(tmp) / f"bench-{n}.sqlite3"
            started = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--fill", str(n)], env=_env(db), check=True)
            fill_seconds = time.perf_counter() - started
            out = subprocess.run(
                [sys.executable, __file__, "--export", tmp],
                env=_env(db),
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results[n] = result
            mib = result["peak_rss_kib"] / 1024
            print(f"{n:>8} reports: filled in {fill_seconds:.0f}s; export peak RSS {mib:.1f} MiB")
            for fmt, t in result["formats"].items():
                print(f"{'':>18}{fmt:<8} {t['seconds']:>7.2f}s  {t['bytes'] / 1e6:>8.1f} MB")
            db.unlink()
    small, large = min(sizes), max(sizes)
    ratio = results[large]["peak_rss_kib"] / results[small]["peak_rss_kib"]
    verdict = "OK" if ratio <= LIMIT else "FAIL"
    print(f"peak RSS {large} / {small} = {ratio:.2f} (limit {LIMIT}) {verdict}")
    return 0 if ratio <= LIMIT else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 100_000], help="numbers of reports")
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--export", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill is not None:
        fill(args.fill)
        return 0
    if args.export is not None:
        export(args.export)
        return 0
    return run(args.sizes)


if __name__ == "__main__":
    sys.exit(main())
