"""In-process cost of rendering the public pages with the page cache off (what a miss costs).

    BENCH_PG_DB=monitora_pages_bench .venv/bin/python bench/pages_profile.py
    .venv/bin/python bench/pages_profile.py --profile report_page   # cProfile, top 30 by tottime
    .venv/bin/python bench/pages_profile.py --no-fragments          # fragment caches off too

Same settings and database as `bench/pages.py` (run it once first to load the demo data), the
Django test client as an anonymous visitor, `PAGE_CACHE_ENABLED=false`. For each page: median and
best wall time of N requests after two warm-up ones, SQL queries per request and the time spent in
them. With `--no-fragments` the fragment caches (`FRAGMENT_CACHE_ENABLED`) are off as well.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages as bench  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--profile", default="", help="page name to run under cProfile")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--no-fragments", action="store_true", help="fragment caches off as well")
    args = parser.parse_args()
    env = bench.environment()
    urls = bench.pages(env)
    os.environ.update(env, PAGE_CACHE_ENABLED="false", REQUEST_LOG_LEVEL="WARNING")
    if args.no_fragments:
        os.environ["FRAGMENT_CACHE_ENABLED"] = "false"
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    chosen = args.pages.split(",") if args.pages else list(urls)
    for name in chosen:
        path = urls[name]
        for _ in range(2):
            assert client.get(path).status_code == 200, path
        if args.profile == name:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                client.get(path)
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
            continue
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - start)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(path)
            total = time.perf_counter() - start
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        print(
            f"{name:12} median {statistics.median(times) * 1000:6.1f} ms  best {min(times) * 1000:6.1f} ms"
            f"  {len(queries):3d} queries ({sql * 1000:5.1f} ms of {total * 1000:5.1f} ms)  {path}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
