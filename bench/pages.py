"""Public page throughput against a hello-world view of the same stack, cache warm and cold.

    .venv/bin/python bench/pages.py                 # 10 s per measurement
    .venv/bin/python bench/pages.py --seconds 20 --skip-setup

Production settings (`config.settings.production` through `bench/pages_settings.py`, which only
adds a `/bench/hello/` view returning a short text through the full middleware stack), PostgreSQL
(BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432; database BENCH_PG_DB, default
monitora_pages_bench) loaded with `manage.py load_demo`, Redis as CACHE_URL (BENCH_CACHE_URL,
default redis://127.0.0.1:6379/14), gunicorn with 2 sync workers, and `wrk` (Debian package) with
32 connections as the load generator, all on this machine.

"Warm": the page cache on and primed by one request. "Churn": the same, while the bench bumps every
generation (all reports, the report, the catalogue) in Redis twice a second, as editors publishing
during a spike would: each page is rendered again after every change, once (others get the previous
version meanwhile). "Miss": the server restarted with PAGE_CACHE_ENABLED=false, fragment caches on
(the page's pieces cached, the page assembled on every request). "Cold": nothing cached at all
(PAGE_CACHE_ENABLED=false and FRAGMENT_CACHE_ENABLED=false), so every request renders everything:
the cost of a miss right after a change, or of a crawler walking every report once. The servers'
request logs go to bench/out/server.log, as production's go to a log collector. The last line is
machine-readable: `<page>_warm=<ratio> <page>_cold=<ratio> ...` against hello-world of the same run.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
TARGETS = {"warm": 0.4, "churn": 0.1, "miss": 0.1, "cold": 0.1}
CHURN_INTERVAL = 0.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment() -> dict[str, str]:
    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    db = os.environ.get("BENCH_PG_DB", "monitora_pages_bench")
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.pages_settings",
        PYTHONPATH=str(ROOT),
        SECRET_KEY="bench-only-not-secret",  # noqa: S106 - throwaway benchmark settings
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"{base}/{db}",
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"),
        STATIC_ROOT=str(OUT / "static"),
        MEDIA_ROOT=str(OUT / "media"),
        PRIVATE_MEDIA_ROOT=str(OUT / "private_media"),
        LOG_LEVEL="ERROR",
        # All clients share one address: the search limit would answer 429 in a cold run. Two
        # rates, as by default, so a request does the same throttle work as in production.
        THROTTLE_SEARCH=os.environ.get("THROTTLE_SEARCH", "100000000/m,100000000/h"),
    )


def setup(env: dict[str, str]) -> None:
    import psycopg

    base, db = env["DATABASE_URL"].rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
        conn.execute(f'CREATE DATABASE "{db}"')
    manage = [PY, "manage.py"]
    # collectstatic first: the URLs (imported by the checks of the others) need its manifest.
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    # Production's autovacuum would have analysed the tables by now; without statistics the
    # planner guesses row counts and the measurement is of a database nobody runs.
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("ANALYZE")


def pages(env: dict[str, str]) -> dict[str, str]:
    """One real URL per page type, taken from the loaded data."""
    script = (
        "from monitora.reports.models import Report;"
        "r = Report.objects.published().exclude(project=None).order_by('pk').first();"
        "print(r.pk)"
    )
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    report_id = int(out.stdout.split()[-1])
    return {
        "report_page": f"/report/{report_id}/",
        "report_list": "/report/",
        "search": "/cerca/?q=scuola",
        "statistics": "/statistiche/",
    }


class Server:
    def __init__(self, env: dict[str, str], output=None, **extra: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning"],
            env={**env, **extra}, cwd=ROOT, stdout=output, stderr=output,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url + "/bench/hello/", timeout=2)  # noqa: S310 - local
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Churn:
    """Bump the page-cache generations in Redis, as `monitora.core.pagecache.bump` does."""

    def __init__(self, cache_url: str, report_path: str) -> None:
        import threading

        import redis

        report_id = report_path.strip("/").split("/")[-1]
        self.keys = [f":1:pagegen:{n}" for n in ("reports", "catalogue", f"report:{report_id}")]
        self.client = redis.Redis.from_url(cache_url)
        self.done = threading.Event()
        self.bumps = 0
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.done.wait(CHURN_INTERVAL):
            for key in self.keys:
                self.client.incr(key)
            self.bumps += 1

    def stop(self) -> None:
        self.done.set()
        self.thread.join()
        print(f"churn: {self.bumps} changes", flush=True)


def wrk(url: str, seconds: int, connections: int) -> float:
    """Requests per second; fails on any non-2xx/3xx answer or socket error."""
    urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 - prime (the warm cache), check 200
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    text = result.stdout
    if "Non-2xx" in text or "Socket errors" in text and "timeout 0" not in text:
        print(text)
    if "Non-2xx" in text:
        raise RuntimeError(f"errors while loading {url}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="duration of each measurement")
    parser.add_argument("--connections", type=int, default=32, help="concurrent wrk connections")
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database of a previous run")
    parser.add_argument("--modes", default="warm,churn,miss,cold", help="which of warm,churn,miss,cold")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment()
    if not args.skip_setup:
        setup(env)
    urls = {k: v for k, v in pages(env).items() if not args.pages or k in args.pages.split(",")}
    modes = {
        "warm": {"PAGE_CACHE_ENABLED": "true"},
        "churn": {"PAGE_CACHE_ENABLED": "true"},
        "miss": {"PAGE_CACHE_ENABLED": "false"},
        "cold": {"PAGE_CACHE_ENABLED": "false", "FRAGMENT_CACHE_ENABLED": "false"},
    }
    modes = {m: extra for m, extra in modes.items() if m in args.modes.split(",")}
    results: dict[str, float] = {}
    log = (OUT / "server.log").open("ab")
    for mode, extra in modes.items():
        server = Server(env, log, **extra)
        churn = Churn(env["CACHE_URL"], urls["report_page"]) if mode == "churn" else None
        try:
            results[f"hello_{mode}"] = wrk(server.url + "/bench/hello/", args.seconds, args.connections)
            print(f"{mode:4} hello-world          {results[f'hello_{mode}']:8.0f} req/s", flush=True)
            for name, path in urls.items():
                rate = wrk(server.url + path, args.seconds, args.connections)
                results[f"{name}_{mode}"] = rate
                ratio = rate / results[f"hello_{mode}"]
                print(f"{mode:4} {name:20} {rate:8.0f} req/s  {ratio:5.2f}x  ({path})", flush=True)
        finally:
            if churn:
                churn.stop()
            server.stop()
    ratios = {
        f"{name}_{mode}": results[f"{name}_{mode}"] / results[f"hello_{mode}"]
        for mode in modes
        for name in urls
    }
    missed = [k for k, v in ratios.items() if v < TARGETS[k.rsplit("_", 1)[1]]]
    print(" ".join(f"{k}={v:.2f}" for k, v in ratios.items()))
    if missed:
        print(f"below target: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
