"""Two app servers, one PostgreSQL, one Redis, one files directory: the documented topology works.

Starts two gunicorn servers (production settings, 2 workers each) on free ports, sharing a real
PostgreSQL database that this test creates and drops, a Redis database it flushes, and one media
directory, then checks what an operator adding a second server relies on:

- a session made on one server is valid on the other;
- the login throttle (allauth counts failed logins in the cache) counts across both;
- a file uploaded through one is served by the other;
- after a publish on one, an anonymous GET on the other shows it: the report's page at once, the
  cached lists within `PAGE_CACHE_LOCAL_SECONDS` (and, once the task worker has run, the search
  page too);
- killing one server during a bounded run of report creations loses no acknowledged write.

The servers only see plain HTTP, as behind the TLS proxy of docs/deployment.md: requests carry
`X-Forwarded-Proto: https`, and this client keeps the (Secure) cookies itself.
"""

import io
import json
import os
import re
import threading
import time

import pytest
import requests
from django.conf import settings
from PIL import Image

from monitora.attachments.tests import files

from .twoservers import GUNICORN, REDIS_URL, Server, Topology, Visitor, csrf_token, hidden_value

pytestmark = [pytest.mark.postgres_only, pytest.mark.multiserver]


@pytest.fixture
def topology(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("two app servers share a PostgreSQL database (set DATABASE_URL)")
    if not GUNICORN.exists():
        pytest.fail(f"gunicorn not installed at {GUNICORN}")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        message = f"Redis is not reachable at {REDIS_URL}"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    topology = Topology(tmp_path)
    try:
        topology.start()  # gunicorn imports Django while the database is being migrated
        topology.data = topology.create()
        topology.wait_until_healthy()
        yield topology
    finally:
        topology.stop()


def test_two_app_servers_share_sessions_throttles_files_pages_and_lose_no_write(topology):
    a, b = topology.servers
    data = topology.data

    # A session made on A is valid on B.
    member = Visitor()
    assert member.login(a, data["member"]).status_code == 302
    assert member.get(b, "/area/").status_code == 200
    assert Visitor().get(b, "/area/").status_code == 302  # without the session: to the login page

    # The login throttle counts on both: the per-account limit of failed logins is used up partly
    # on A and partly on B (neither alone reaches it), after which even the right password is refused.
    limit = _failed_login_limit_per_account()
    for attempt in range(limit):
        server = a if attempt % 2 else b
        assert Visitor().login(server, data["throttled"], "wrong-password").status_code == 200
    refused = Visitor().login(a, data["throttled"])
    assert refused.status_code == 200, "the throttle did not count the failures made on the other server"
    assert Visitor().login(b, data["member"]).status_code == 302  # other accounts are not affected

    # A photo uploaded through A (to a draft) is served by B (one files directory).
    draft = data["draft"]
    photo = files.jpeg((640, 480))
    uploaded = member.post_form(
        a,
        f"/allegati/report/{draft}/",
        {"caption": "Il cantiere"},
        form_path=f"/report/{draft}/modifica/?passo=2",
        files={"file": ("cantiere.jpg", photo, "image/jpeg")},
    )
    assert uploaded.status_code in (200, 302), uploaded.text[-2000:]
    panel = member.get(b, f"/allegati/report/{draft}/").text
    file_path = re.search(r'href="(/allegati/\d+/file/)"', panel).group(1)
    served = member.get(b, file_path)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served.content)).size == (640, 480)

    # After a publish on A, an anonymous visitor of B sees the report (page and list).
    report = data["report"]
    anonymous = Visitor()
    assert anonymous.get(b, f"/report/{report}/").status_code == 404
    for server in (a, b):  # with a page cache, both now hold the list without the report
        assert data["title"] not in anonymous.get(server, "/report/").text
    editor = Visitor()
    assert editor.login(a, data["editor"]).status_code == 302
    review = editor.get(a, f"/redazione/report/{report}/").text
    published = editor.request(
        a,
        "POST",
        f"/redazione/report/{report}/azione/",
        data={
            "csrfmiddlewaretoken": csrf_token(review),
            "action": "publish",
            "lock_version": hidden_value(review, "lock_version"),
        },
    )
    assert published.status_code == 302
    # The report's page was a 404, never cached: B shows it at once.
    page = anonymous.get(b, f"/report/{report}/", headers={"X-Request-ID": "two-servers-check-1"})
    assert page.status_code == 200 and data["title"] in page.text
    # The cached lists follow within PAGE_CACHE_LOCAL_SECONDS: each process (two per server here)
    # trusts the generation counters it last read from Redis that long (docs/deployment.md).
    time.sleep(settings.PAGE_CACHE_LOCAL_SECONDS)
    for server in (a, b):
        assert data["title"] in anonymous.get(server, "/report/").text
    # The search index follows through the task worker (`manage.py db_worker`, here one batch).
    topology.manage("db_worker", "--batch", "--no-startup-delay")
    assert data["title"] in anonymous.get(b, "/cerca/?q=Basento").text
    # B logged that request as JSON, with the id the proxy sent.
    lines = (topology.logs / "B.log").read_text().splitlines()
    logged = [json.loads(line) for line in lines if "two-servers-check-1" in line]
    assert logged and logged[0]["status"] == 200 and logged[0]["user_id"] is None

    # Killing A during a bounded run of report creations loses no acknowledged write.
    acknowledged, failed_on_a, errors = _load_run_with_a_kill(
        member, a, b, project=data["project"], team=data["team"]
    )
    print(f"load run: {len(acknowledged)} acknowledged, {failed_on_a} refused by the killed server")
    assert not errors, errors
    assert failed_on_a > 0, "the kill did not happen during the run"
    assert len(acknowledged) >= 20
    assert topology.report_ids_in_database(acknowledged) == set(acknowledged)


def _failed_login_limit_per_account() -> int:
    """The `/key` part of allauth's `login_failed` limit (e.g. "10/m/ip,5/300s/key" -> 5)."""
    for part in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(","):
        if part.endswith("/key"):
            return int(part.split("/")[0])
    raise AssertionError("no per-account limit of failed logins")


def _load_run_with_a_kill(visitor: Visitor, a: Server, b: Server, *, project: str, team: int):
    """4 clients create reports, alternating servers; A is killed once 12 are acknowledged.

    A creation is acknowledged by its redirect to the new report's edit page. A failed request
    (connection refused or reset) is not acknowledged; the client moves to the other server.
    Bounded: 4 x 12 attempts, each with a 15-second timeout.
    """
    acknowledged: list[int] = []
    errors: list[str] = []
    failed_on_a = 0
    lock = threading.Lock()
    killed = threading.Event()
    token = csrf_token(visitor.get(b, f"/report/nuovo/?progetto={project}").text)

    def client(number: int) -> None:
        nonlocal failed_on_a
        own = Visitor(
            cookies={"sessionid": visitor.cookies["sessionid"], "csrftoken": visitor.cookies["csrftoken"]}
        )
        server = (a, b)[number % 2]
        for _ in range(12):
            try:
                response = own.request(
                    server,
                    "POST",
                    "/report/nuovo/",
                    data={"csrfmiddlewaretoken": token, "progetto": project, "team": str(team)},
                )
            except requests.RequestException:
                with lock:
                    failed_on_a += server is a
                server = b
                continue
            location = re.fullmatch(r"/report/(\d+)/modifica/", response.headers.get("Location", ""))
            with lock:
                if response.status_code == 302 and location:
                    acknowledged.append(int(location.group(1)))
                else:
                    errors.append(f"{server.name}: {response.status_code}")
                if len(acknowledged) >= 12 and not killed.is_set():
                    killed.set()
                    a.kill()
            server = b if server is a else a  # after the kill, A refuses: not acknowledged, on to B

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert killed.is_set()
    return acknowledged, failed_on_a, errors
