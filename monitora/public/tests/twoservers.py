"""The two-server topology for `test_two_servers.py`: a PostgreSQL database, a Redis database and
a files directory shared by two gunicorn servers (production settings), and an HTTP visitor that
talks to them as the TLS proxy of docs/deployment.md would pass requests on."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import requests
from django.conf import settings

from monitora.reports.models import Report

ROOT = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).parent / "gunicorn"
REDIS_URL = os.environ.get("MULTISERVER_REDIS_URL", "redis://127.0.0.1:6379/13")
PUBLIC_HOST = "monitora.test"
PASSWORD = "pw-Monitora-2026!"  # monitora.accounts.tests.factories.PASSWORD

# The settings both servers run: production, except that static files come from the finders
# (no collectstatic in a test) and passwords are hashed cheaply (a dozen logins at ~1 s of PBKDF2
# each, on a shared CI machine, prove nothing more). Database, cache, files, cookies: production's.
SERVER_SETTINGS = """
from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""

# Run once on the new database (with the servers' settings): the schema, the people and the reports.
SETUP_DATA = """
import json
from django.core.management import call_command
call_command("migrate", "--noinput", verbosity=0)
from monitora.accounts.tests.factories import MembershipFactory, UserFactory
from monitora.catalogue.tests.factories import ProjectFactory
from monitora.conftest import make_report
from monitora.teams.models import Membership
from monitora.teams.tests.factories import TeamFactory

team = TeamFactory(name="Team dei due server")
member = MembershipFactory(team=team, role=Membership.Role.OWNER).user
editor = UserFactory(is_staff=True)
throttled = UserFactory()
project = ProjectFactory()
report = make_report(team, status="submitted", project=project, title="Ponte sul Basento bidirezionale")
draft = make_report(team, status="draft", project=project)
print(json.dumps({
    "team": team.pk, "member": member.email, "editor": editor.email, "throttled": throttled.email,
    "project": project.code, "report": report.pk, "title": report.title, "draft": draft.pk,
}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL to the master and its workers (their own process group): no graceful anything."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Visitor:
    """A browser stand-in that keeps its own cookies (they are Secure; this is HTTP behind a proxy)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, server: Server, method: str, path: str, **kwargs) -> requests.Response:
        # As behind the proxy: one public host name for both servers. (allauth keys its login
        # throttle by the request's host too, so the proxy must pass the public Host header.)
        origin = f"https://{PUBLIC_HOST}"
        headers = {
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + path,
        }
        headers |= kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method, server.url + path, headers=headers, allow_redirects=False, timeout=15, **kwargs
        )
        for raw in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, server: Server, path: str, **kwargs) -> requests.Response:
        return self.request(server, "GET", path, **kwargs)

    def post_form(self, server: Server, path: str, data: dict, *, form_path: str | None = None, **kwargs):
        """GET the form (for its CSRF token), then POST it."""
        token = csrf_token(self.get(server, form_path or path).text)
        return self.request(server, "POST", path, data={"csrfmiddlewaretoken": token, **data}, **kwargs)

    def login(self, server: Server, email: str, password: str = PASSWORD) -> requests.Response:
        return self.post_form(server, "/account/login/", {"login": email, "password": password})


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} in the form"
    return match.group(1)


class Topology:
    """The shared database, cache and files, the two servers and how to run manage.py against them."""

    def __init__(self, tmp_path: Path) -> None:
        db = settings.DATABASES["default"]
        self.admin_dsn = psycopg.conninfo.make_conninfo(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
            password=db["PASSWORD"] or None, dbname="postgres",
        )  # fmt: skip
        self.db_name = f"monitora_twoservers_{os.getpid()}"
        self.dsn = psycopg.conninfo.make_conninfo(self.admin_dsn, dbname=self.db_name)
        auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
        database_url = f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{self.db_name}"
        (tmp_path / "twoservers_settings.py").write_text(SERVER_SETTINGS)
        self.logs = tmp_path / "logs"
        self.logs.mkdir()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_", "AWS_"))},
            "DJANGO_SETTINGS_MODULE": "twoservers_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
            "SECRET_KEY": "two-servers-share-this-secret-key-" + "x" * 20,
            "DATABASE_URL": database_url,
            "CACHE_URL": REDIS_URL,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "private_media"),
            "ALLOWED_HOSTS": f"127.0.0.1,{PUBLIC_HOST}",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
        }
        self.servers = [Server("A", _free_port()), Server("B", _free_port())]
        self.log_files: list = []

    def manage(self, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def create(self) -> dict:
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        return json.loads(self.manage("shell", "-c", SETUP_DATA).strip().splitlines()[-1])

    def start(self) -> None:
        """Start both servers (they touch the database only when a request comes)."""
        for server in self.servers:
            log = (self.logs / f"{server.name}.log").open("w")
            self.log_files.append(log)
            server.process = subprocess.Popen(  # noqa: S603
                [str(GUNICORN), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{server.port}"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + 60
        for server in self.servers:
            while True:
                assert server.process.poll() is None, (self.logs / f"{server.name}.log").read_text()[-3000:]
                try:
                    if requests.get(server.url + "/health/?format=json", timeout=15).status_code == 200:
                        break
                except requests.RequestException:  # not listening yet, or still importing Django
                    pass
                assert time.monotonic() < deadline, f"server {server.name} did not become healthy"
                time.sleep(0.2)

    def report_ids_in_database(self, ids: list[int]) -> set[int]:
        with psycopg.connect(self.dsn) as conn:
            rows = conn.execute(f"SELECT id FROM {Report._meta.db_table} WHERE id = ANY(%s)", [ids])  # noqa: S608
            return {row[0] for row in rows}

    def stop(self) -> None:
        for server in self.servers:
            server.kill()
        for log in self.log_files:
            log.close()
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        try:
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
        except Exception:  # noqa: BLE001, S110 - a cleanup that must not hide the test's result
            pass
