"""64 clients mixing public pages, API, PDFs and downloads while a catalogue re-import writes.

    BENCH_PG_DB=monitora_mixed_bench .venv/bin/python bench/mixed_load.py            # setup + 60 s
    .venv/bin/python bench/mixed_load.py --skip-setup --seconds 60 --clients 64

Issue 14's target: no 5xx (and no connection error) in 60 s of mixed traffic while the catalogue
is re-imported. Same stack as `bench/pages.py` (production settings, gunicorn with 2 sync workers,
PostgreSQL loaded with `load_demo`, Redis as CACHE_URL), plus `export_opendata --publish` so whole
downloads are served as files. The client is asyncio in this process (one connection per request,
as gunicorn's sync workers close each one): each of `--clients` loops picks a URL at random from
the mix (`urls`) for `--seconds`. Meanwhile `manage.py import_catalogue` runs again and again on a
copy of a demo catalogue sample grown to `--import-copies` times its size, with the payments changed
on every run, so each import really writes and bumps the catalogue generation.

All clients come from one address, so the throttles would answer 429 to most API, PDF, search
and open-data requests: they are raised (THROTTLE_* = 1000000/m) unless `--keep-throttles`;
429s are counted apart either way. Any 5xx, a truncated body, a connection error or a timeout is
a failure (exit status 1). The last line is machine-readable.
"""

import argparse
import asyncio
import csv
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import OUT, PY, Server, environment, setup  # noqa: E402

DATA = ROOT / "data" / "opencoesione"
SAMPLE = "progetti-beni-confiscati-sample.csv"  # OpenCoesione's own columns (the other sample is not)
SEARCH_WORDS = ("scuola", "strada", "ospedale", "acqua", "bici", "verde", "legalità", "frana", "", "xyz")
REQUEST_TIMEOUT = 60.0
CLOSE = "Connection: close\r\n\r\n"
THROTTLE_SCOPES = ("API", "PDF", "OPENDATA", "SEARCH")

FACTS = """
import json
from monitora.catalogue.models import Project
from monitora.reports.models import Report
from monitora.stats.selectors import BUILDERS
reports = Report.objects.published()
with_project = reports.exclude(project=None).order_by("pk")
print(json.dumps({
    "reports": list(reports.order_by("pk").values_list("pk", flat=True)[:40]),
    "pdf_reports": list(with_project.values_list("pk", flat=True)[:3]),
    "projects": list(Project.objects.public().order_by("code").values_list("code", flat=True)[:40]),
    "years": sorted({r.year for r in reports.dates("published_at", "year")}),
    "stats": sorted(BUILDERS)[:3],
}))
"""


def facts(env: dict[str, str]) -> dict:
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", FACTS], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def urls(f: dict) -> dict[str, list[tuple[str, int]]]:
    """URL kinds, each a list of (path, weight); heavier kinds are asked less often."""
    reports, projects, words = f["reports"], f["projects"], SEARCH_WORDS
    year = f["years"][-1] if f["years"] else 2020
    return {
        "home": [("/", 4)],
        "report_list": [("/report/", 3), ("/report/?page=2", 1)],
        "report_page": [(f"/report/{pk}/", 1) for pk in reports],
        "report_search": [(f"/cerca/?q={quote(w)}", 1) for w in words]
        + [(f"/cerca/?anno={year}&q=scuola", 1)],
        "project_search": [(f"/progetti/cerca/?q={quote(w)}", 1) for w in words]
        + [("/progetti/cerca/?size=5", 1)],
        "project_page": [(f"/progetti/{code}/", 1) for code in projects],
        "statistics": [("/statistiche/", 2)] + [(f"/statistiche/{slug}.csv", 1) for slug in f["stats"]],
        "map": [("/cerca/mappa.geojson", 2), ("/cerca/regioni.geojson", 1)],
        "api_list": [("/api/v1/reports", 2), ("/api/v1/projects?q=scuola", 1), ("/api/v1/projects", 1)],
        "api_detail": [(f"/api/v1/reports/{pk}", 1) for pk in reports[:10]]
        + [(f"/api/v1/projects/{code}", 1) for code in projects[:10]],
        "api_statistics": [("/api/v1/statistics", 1)],
        "pdf": [(f"/report/{pk}/pdf/", 1) for pk in f["pdf_reports"]],
        "download": [("/open-data/reports.csv", 2), ("/open-data/reports.json", 1), ("/open-data/", 1)],
        "download_filtered": [
            (f"/open-data/reports.csv?year={year}", 1),
            ("/open-data/reports.csv?q=scuola", 1),
        ],
        "feed": [("/feeds/report/", 2), ("/feeds/cerca/?q=scuola", 1)]
        + [(f"/feeds/progetti/{code}/", 1) for code in projects[:3]],
    }


KIND_WEIGHTS = {  # share of requests per kind, roughly a spike from a newspaper link plus bots
    "home": 10, "report_list": 8, "report_page": 16, "report_search": 8, "project_search": 6,
    "project_page": 8, "statistics": 5, "map": 5, "api_list": 6, "api_detail": 6, "api_statistics": 3,
    "pdf": 3, "download": 5, "download_filtered": 3, "feed": 4,
}  # fmt: skip


async def fetch(port: int, path: str) -> tuple[int | str, int]:
    """(status or error name, body bytes) of one GET on a fresh connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: it\r\n{CLOSE}"
        writer.write(request.encode())
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    head, _sep, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1."):
        return "no_answer", 0
    status = int(head.split(b" ", 2)[1])
    headers = head.lower()
    if b"transfer-encoding: chunked" in headers and not body.endswith(b"0\r\n\r\n"):
        return "truncated", len(body)
    if b"content-length:" in headers:
        length = int(headers.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
        if length != len(body):
            return "truncated", len(body)
    return status, len(body)


class Results:
    def __init__(self) -> None:
        self.codes: dict[str, Counter] = defaultdict(Counter)
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []
        self.other: list[str] = []  # 4xx other than 429: a wrong URL in the mix


async def client(port: int, mix: dict, deadline: float, results: Results, rng: random.Random) -> None:
    kinds = list(KIND_WEIGHTS)
    weights = [KIND_WEIGHTS[k] for k in kinds]
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        paths, path_weights = zip(*mix[kind], strict=True)
        path = rng.choices(paths, path_weights)[0]
        started = time.monotonic()
        try:
            status, _size = await asyncio.wait_for(fetch(port, path), REQUEST_TIMEOUT)
        except TimeoutError:
            status = "timeout"
        except OSError as error:
            status = type(error).__name__
        results.latency[kind].append(time.monotonic() - started)
        results.codes[kind][status] += 1
        if not isinstance(status, int) or status >= 500:
            results.failures.append(f"{status} {path}")
        elif status not in (200, 429):
            results.other.append(f"{status} {path}")


async def load(port: int, mix: dict, seconds: int, clients: int) -> Results:
    results = Results()
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(client(port, mix, deadline, results, random.Random(n)) for n in range(clients))  # noqa: S311
    )
    return results


class Reimport:
    """`import_catalogue` in a loop on a grown copy of the demo catalogue, payments changed per run."""

    def __init__(self, env: dict[str, str], copies: int) -> None:
        self.env, self.copies = env, copies
        with open(DATA / SAMPLE, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=";")
            self.fields = list(reader.fieldnames or [])
            self.rows = list(reader)
        self.runs: list[tuple[float, int, str]] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def catalogue_generation(self) -> int:
        import redis

        value = redis.Redis.from_url(self.env["CACHE_URL"]).get(":1:pagegen:catalogue")
        return int(value or 0)

    def write(self, run: int) -> Path:
        path = OUT / "mixed-reimport.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, self.fields, delimiter=";", quoting=csv.QUOTE_ALL)
            writer.writeheader()
            for copy in range(self.copies):
                for row in self.rows:
                    code = row["COD_LOCALE_PROGETTO"]
                    code = code if copy == 0 else f"BENCH{copy}{code}"
                    # Every run pays each project a different amount: every row is an update.
                    writer.writerow({**row, "COD_LOCALE_PROGETTO": code, "TOT_PAGAMENTI": f"{1000 + run},00"})
        return path

    def start(self) -> None:
        self.bumps = 0
        self.thread.start()

    def run(self) -> None:
        run = first = int(time.time()) % 100_000  # a new amount even after a previous bench run
        while not self.done.is_set():
            run += 1
            path = self.write(run)
            started, generation = time.monotonic(), self.catalogue_generation()
            result = subprocess.run(
                [PY, "manage.py", "import_catalogue", str(path)],
                env=self.env, cwd=ROOT, capture_output=True, text=True,
            )  # fmt: skip
            summary = (result.stdout.strip().splitlines() or [""])[-1][:160]
            if result.returncode:
                summary = f"FAILED ({result.returncode}): {result.stderr.strip()[-300:]}"
            self.runs.append((time.monotonic() - started, len(self.rows) * self.copies, summary))
            # Counted per run: the first bump of a fresh cache sets a random value, not 1.
            self.bumps += self.catalogue_generation() != generation
            print(f"import run {run - first + 1}: {self.runs[-1][0]:.1f} s, {summary}", flush=True)

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(results: Results, reimport: Reimport, seconds: int) -> bool:
    total = sum(sum(c.values()) for c in results.codes.values())
    print(f"\n{total} requests in {seconds} s ({total / seconds:.0f} req/s)")
    print("| kind | requests | codes | p50 ms | p95 ms |\n|---|---:|---|---:|---:|")
    for kind in KIND_WEIGHTS:
        codes = results.codes.get(kind, Counter())
        shown = ", ".join(f"{code}: {n}" for code, n in sorted(codes.items(), key=str))
        lat = results.latency.get(kind, [])
        p50, p95 = percentile(lat, 0.5) * 1000, percentile(lat, 0.95) * 1000
        print(f"| {kind} | {sum(codes.values())} | {shown} | {p50:.0f} | {p95:.0f} |")
    durations = [d for d, _rows, _s in reimport.runs]
    failed_imports = [s for _d, _rows, s in reimport.runs if s.startswith("FAILED")]
    rows = reimport.runs[0][1] if reimport.runs else 0
    print(f"imports: {len(durations)} runs of {rows} rows, " + ", ".join(f"{d:.1f} s" for d in durations))
    print(f"catalogue generation moved on {reimport.bumps} times (each one drops the pages that show it)")
    every = Counter()
    for codes in results.codes.values():
        every.update(codes)
    server_errors = sum(n for code, n in every.items() if not isinstance(code, int) or code >= 500)
    for failure in Counter(results.failures).most_common(10):
        print("failure:", *failure)
    for other in Counter(results.other).most_common(5):
        print("other:", *other)
    print(
        f"requests={total} 5xx_or_errors={server_errors} throttled_429={every.get(429, 0)} "
        f"imports={len(durations)} import_failures={len(failed_imports)}"
    )
    return server_errors == 0 and not failed_imports and bool(durations)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=60, help="duration of the load")
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients")
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database of a previous run")
    parser.add_argument("--import-copies", type=int, default=20, help="re-imported file size, in samples")
    parser.add_argument("--keep-throttles", action="store_true", help="production throttles (429s expected)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment()
    if not args.skip_setup:
        setup(env)
        subprocess.run([PY, "manage.py", "export_opendata", "--publish"], env=env, cwd=ROOT, check=True)
    mix = urls(facts(env))
    extra = {} if args.keep_throttles else {f"THROTTLE_{s}": "1000000/m" for s in THROTTLE_SCOPES}
    log = open(OUT / "mixed-server.log", "w")  # noqa: SIM115 - open while the server runs
    server = Server(env, output=log, PAGE_CACHE_ENABLED="true", **extra)
    reimport = Reimport(env, args.import_copies)
    try:
        port = int(server.url.rsplit(":", 1)[1])
        reimport.start()
        results = asyncio.run(load(port, mix, args.seconds, args.clients))
    finally:
        reimport.stop()
        server.stop()
        log.close()
    print(f"server log: {log.name}")
    return 0 if report(results, reimport, args.seconds) else 1


if __name__ == "__main__":
    sys.exit(main())
