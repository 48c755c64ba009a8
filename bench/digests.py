"""Digest benchmark: 10,000 followers, each with several pending notifications, one daily run.

    python bench/digests.py --followers 10000 --db sqlite
    python bench/digests.py --followers 10000 --db postgres

Builds a fresh database (SQLite file in bench/out/, or PostgreSQL BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432, database BENCH_PG_DB, default monitora_follow_bench, dropped
and made again), creates the followers (each following one of 500 projects, daily digest) and 10
events per project through `notify_followers`, then times `digests_build(period="daily")` (the
set-based grouping) and the sending of every digest by the `deliver_digests` task (in-memory mail
backend: the cost of our code, not of an SMTP server). Last line machine-readable:
`followers=N notifications=M build_s=B send_s=S total_s=T`. Figures in docs/follow.md.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def _database(kind: str) -> str:
    if kind == "postgres":
        base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
        name = os.environ.get("BENCH_PG_DB", "monitora_follow_bench")
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{base}/{name}"
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "digests.sqlite3"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=10_000, help="number of people following")
    parser.add_argument("--projects", type=int, default=500, help="projects followed")
    parser.add_argument("--events", type=int, default=10, help="events per project")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite", help="database")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": _database(args.db),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)

    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.db import transaction

    from monitora.catalogue.models import Project
    from monitora.follows import digests
    from monitora.follows.digests import digests_build  # noqa: I001
    from monitora.follows.models import Follow, Notification
    from monitora.follows.services import notify_followers
    from monitora.follows.tasks import deliver_digests

    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    queued: list[list[int]] = []
    digests._enqueue = queued.append  # time the grouping alone; the sending is timed below
    mail.outbox = []
    User = get_user_model()
    projects = Project.objects.bulk_create(
        [Project(code=f"BENCH{n:05d}", title=f"Progetto {n}") for n in range(args.projects)]
    )
    users = User.objects.bulk_create(
        [User(username=f"bench{n}", email=f"bench{n}@example.org") for n in range(args.followers)],
        batch_size=2000,
    )
    if args.db == "sqlite":  # bulk_create returns no ids on older SQLite: read them back
        users = list(User.objects.filter(username__startswith="bench").order_by("id"))
        projects = list(Project.objects.filter(code__startswith="BENCH").order_by("id"))
    Follow.objects.bulk_create(
        [
            Follow(
                user=u, kind="project", target=projects[i % len(projects)].code, label="P", delivery="daily"
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    started = time.perf_counter()
    for project in projects:
        for e in range(args.events):
            notify_followers(
                event_kind="official_change",
                project_ids=[project.pk],
                title=f"Pagamenti aggiornati ({e})",
                url=f"/progetti/{project.code}/",
            )
    notify_s = time.perf_counter() - started
    notifications = Notification.objects.count()

    started = time.perf_counter()
    with transaction.atomic():
        ids = digests_build(period="daily")
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        deliver_digests.call(digest_ids=queued[0][:5])  # warm up (URL conf, templates)
        cProfile.runctx("deliver_digests.call(digest_ids=queued[0])", globals(), locals(), sort="tottime")
        return
    for chunk in queued:
        deliver_digests.call(digest_ids=chunk)
    send_s = time.perf_counter() - started
    assert len(mail.outbox) == len(ids) == args.followers, (len(mail.outbox), len(ids))
    print(f"events recorded in {notify_s:.1f}s ({args.projects * args.events} events)")
    print(
        f"followers={args.followers} notifications={notifications} build_s={build_s:.2f} "
        f"send_s={send_s:.2f} total_s={build_s + send_s:.2f}"
    )


if __name__ == "__main__":
    main()
