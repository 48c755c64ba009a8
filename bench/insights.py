"""Insights benchmark: discrepancies after a re-import, similar-reports panel latency (PostgreSQL).

    BENCH_PG_DB=monitora_insights_bench .venv/bin/python bench/insights.py --projects 2000000 --reports 100000

1. A fresh database: territories, N projects, M published reports on distinct random projects
   (each with a snapshot of its project, a pin, a progress answer and Italian text in the
   description, weaknesses and risks), baselines as publishing leaves them, the similarity index.
   Projects and reports are generated with INSERT ... SELECT (values drawn from the catalogue
   benchmark's samples: bench/synth.py themes and states), not with the catalogue import: the import
   itself is measured by bench/catalogue.py.
2. "Re-import": 5% of the projects change payments (and some their state) in one UPDATE, as the
   import's merge would; then `insights.tasks.projects_refresh` runs on the changed ids (what the
   `projects_changed` hook queues), in a separate process whose peak RSS is read.
3. The similar-reports panel (`similarity.similar_reports`) timed on random reports: p50/p95.

Last line: `refresh_s=T refresh_peak_mb=M panel_p95_ms=P`.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import STATES, THEMES  # noqa: E402

WORDS = (
    "scuola palestra tetto infiltrazioni cantiere fermo ritardi appalto ditta fallita lavori sospesi "
    "strada asfalto buche illuminazione parco giochi degrado manutenzione assente rifiuti discarica "
    "depuratore fognatura acqua rete idrica perdite ospedale reparto personale infermieri attese "
    "ambulatorio asilo nido posti bambini famiglie autobus fermate pensiline corse orari ciclabile "
    "sicurezza incroci museo chiusura visitatori biblioteca orari apertura volontari associazioni "
    "impresa incentivi occupazione formazione corsi tirocini giovani disoccupati digitale banda larga "
    "connessione fibra sportello comune amministrazione trasparenza documenti accesso atti risposta "
    "progettazione collaudo variante costi aumento contenzioso ricorso tribunale sequestro amianto "
    "bonifica frana dissesto argine fiume alluvione scuole mense cucina impianto fotovoltaico "
    "riscaldamento caldaia efficienza energetica barriere architettoniche ascensore rampe disabili"
).split()


def _setup_env(url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench",  # noqa: S106 - throwaway benchmark settings
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=url,
        LOG_LEVEL="WARNING",
        SINGLE_PROCESS_CACHE_OK="1",  # one process at a time; no shared cache needed
    )
    import django

    django.setup()
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _insert_select(model, count_sql: str, exprs: dict[str, str], params: list | None = None) -> None:
    """INSERT INTO <model> (...) SELECT <exprs or the field default> FROM <count_sql> g."""
    from django.db import connection

    cols, values, args = [], [], list(params or [])
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in exprs:
            continue
        cols.append(f'"{field.column}"')
        if field.column in exprs:  # a literal % must be doubled once parameters are passed
            values.append(exprs[field.column].replace("%", "%%").replace("%%s", "%s"))
        elif field.null:
            values.append("NULL")
        elif field.get_internal_type() == "JSONField":
            values.append("%s::jsonb")
            args.append(json.dumps(field.get_default()))
        elif field.get_internal_type() == "DateTimeField":
            values.append("now()")
        else:
            values.append("%s")
            args.append(field.get_default())
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(values)} FROM {count_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, args)


def prepare(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from monitora.catalogue.models import Project, Territory
    from monitora.questionnaires.models import Option, Question, Questionnaire
    from monitora.reports.models import Answer, Report

    started = time.perf_counter()
    call_command("load_territories", verbosity=0)
    states = "ARRAY[" + ",".join(f"'{s}'" for s in STATES) + "]"
    themes = "ARRAY[" + ",".join(f"'{c}'" for c, _n in THEMES) + "]"
    _insert_select(
        Project,
        f"generate_series(1, {args.projects}) g",
        {
            "code": "'1BENCH' || lpad(g::text, 8, '0')",
            "title": "'Progetto sintetico ' || g",
            "theme_code": f"({themes})[1 + g % {len(THEMES)}]",
            "state": f"({states})[1 + (g * 7) % {len(STATES)}]",
            "public_funding": "100000 + (g % 97) * 10000",
            "payments": "((g % 11) / 10.0) * (100000 + (g % 97) * 10000)",
            "planned_end_date": "date '2018-01-01' + (g % 2500)",
        },
    )
    comuni = list(Territory.objects.filter(kind="C").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalogue_project_territories (project_id, territory_id) "
            "SELECT p.id, (%s::int[])[1 + p.id %% %s] FROM catalogue_project p",
            [comuni, len(comuni)],
        )
    print(f"projects: {args.projects:,} ({time.perf_counter() - started:.0f}s)", flush=True)

    started = time.perf_counter()
    questionnaire = Questionnaire.objects.get(code="v2022")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE picked AS SELECT id, row_number() OVER () AS n FROM "
            "(SELECT id FROM catalogue_project ORDER BY random() LIMIT %s) s",
            [args.reports],
        )
    snapshot = (
        "jsonb_build_object('state', p.state, 'payments', p.payments::text, 'public_funding', "
        "p.public_funding::text, 'planned_end_date', p.planned_end_date::text, 'actual_end_date', NULL)"
    )
    _insert_select(
        Report,
        "picked k JOIN catalogue_project p ON p.id = k.id",
        {
            "title": "'Report ' || k.n",
            "questionnaire_id": str(questionnaire.pk),
            "project_id": "p.id",
            "project_code": "p.code",
            "status": "'published'",
            "published_at": "timestamptz '2019-01-01' + (k.n % 2400) * interval '1 day'",
            "submitted_at": "timestamptz '2019-01-01' + (k.n % 2400) * interval '1 day' - interval '5 days'",
            "latitude": "CASE WHEN k.n % 10 = 0 THEN 45.07 ELSE NULL END",
            "longitude": "CASE WHEN k.n % 10 = 0 THEN 7.69 ELSE NULL END",
            "project_snapshot": snapshot,
        },
    )
    progress = Question.objects.get(questionnaire=questionnaire, key="stato_di_avanzamento")
    options = dict(Option.objects.filter(question=progress).values_list("code", "pk"))
    option_ids = "ARRAY[" + ",".join(str(options[c]) for c in "1234567") + "]"
    _insert_select(
        Answer,
        "reports_report r",
        {"report_id": "r.id", "question_id": str(progress.pk), "option_id": f"({option_ids})[1 + r.id % 7]"},
    )
    rnd = random.Random(15)  # noqa: S311 - synthetic text
    texts = [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(15, 45))) for _ in range(5000)]
    for key in ("obiettivi", "punti_deboli", "rischi"):
        question = Question.objects.get(questionnaire=questionnaire, key=key)
        _insert_select(
            Answer,
            "reports_report r",
            {
                "report_id": "r.id",
                "question_id": str(question.pk),
                "text": "(%s::text[])[1 + (r.id * 31 + %s) % 5000]",
            },
            [texts, len(key)],
        )
    print(f"reports: {args.reports:,} with 4 answers each ({time.perf_counter() - started:.0f}s)", flush=True)

    from monitora.insights.official import baseline_seed, reported_projects
    from monitora.insights.similarity import rebuild

    started = time.perf_counter()
    baseline_seed(project_ids=reported_projects())
    print(f"baselines ({time.perf_counter() - started:.0f}s)", flush=True)
    started = time.perf_counter()
    print(f"similarity rebuild: {rebuild()} ({time.perf_counter() - started:.0f}s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def reimport(args) -> list[int]:
    """5% of the projects change payments (one in three of them also its state), as a merge would."""
    from django.db import connection

    step = round(1 / args.changed)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalogue_project SET payments = coalesce(payments, 0) + 1000, "
            "state = CASE WHEN id %% 3 = 0 THEN 'Concluso' ELSE state END, updated_at = now() "
            "WHERE id %% %s = 0 RETURNING id",
            [step],
        )
        return [row[0] for row in cursor.fetchall()]


def refresh_phase(ids_file: str) -> None:
    from monitora.insights.tasks import projects_refresh

    ids = json.loads(Path(ids_file).read_text())
    started = time.perf_counter()
    result = projects_refresh.call(ids, reason="catalogue.import")
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak, "result": result}))


def panel_latencies(samples: int) -> list[float]:
    from monitora.insights.similarity import similar_reports
    from monitora.reports.models import Report

    ids = list(Report.objects.published().values_list("pk", flat=True))
    rnd = random.Random(7)  # noqa: S311
    timings = []
    for pk in [rnd.choice(ids) for _ in range(samples + 10)]:
        report = Report.objects.select_related("project").get(pk=pk)  # the page has loaded it
        started = time.perf_counter()
        panel = similar_reports(report)
        len(panel["similar"])
        timings.append((time.perf_counter() - started) * 1000)
    return timings[10:]


def print_panel(samples: int) -> float:
    timings = sorted(panel_latencies(samples))
    p50, p95 = timings[len(timings) // 2], timings[int(len(timings) * 0.95) - 1]
    print(f"similar-reports panel: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({len(timings)} reports)")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=2_000_000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument(
        "--changed", type=float, default=0.05, help="share of projects changed by the re-import"
    )
    parser.add_argument("--samples", type=int, default=300, help="timed similar-reports panels")
    parser.add_argument(
        "--phase",
        choices=["all", "refresh", "panel"],
        default="all",
        help="panel: re-time the similar-reports panel on the database of a previous run",
    )
    parser.add_argument("--ids", help=argparse.SUPPRESS)
    args = parser.parse_args()
    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    pg_db = os.environ.get("BENCH_PG_DB", "monitora_insights_bench")
    url = f"{base}/{pg_db}"
    if args.phase == "refresh":
        _setup_env(url)
        refresh_phase(args.ids)
        return
    if args.phase == "panel":
        _setup_env(url)
        print_panel(args.samples)
        return

    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{pg_db}"')
        conn.execute(f'CREATE DATABASE "{pg_db}"')
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="localhost")
    env.update(SECRET_KEY="bench", DATABASE_URL=url, SINGLE_PROCESS_CACHE_OK="1")  # noqa: S106 - throwaway benchmark settings
    subprocess.run(
        # No checks: the URL check needs collected static files, which this benchmark never serves.
        [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    _setup_env(url)
    prepare(args)
    from django.db import connection

    ids = reimport(args)
    connection.close()
    OUT.mkdir(parents=True, exist_ok=True)
    ids_file = OUT / "insights_changed_ids.json"
    ids_file.write_text(json.dumps(ids))
    print(f"re-import: {len(ids):,} projects changed", flush=True)
    output = subprocess.run(
        [sys.executable, __file__, "--phase", "refresh", "--ids", str(ids_file)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    refresh = json.loads(output.strip().splitlines()[-1])
    seconds, peak = refresh["seconds"], refresh["peak_mb"]
    print(f"refresh after re-import: {seconds:.1f}s, peak RSS {peak:.0f} MB, {refresh['result']}")
    p95 = print_panel(args.samples)
    print(f"refresh_s={seconds:.1f} refresh_peak_mb={peak:.0f} panel_p95_ms={p95:.1f}")


if __name__ == "__main__":
    main()
