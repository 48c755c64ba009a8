"""Production settings refuse a per-process cache (issue 16, finding 10): login limits and
throttles would otherwise be counted by each app server on its own."""

import os
import subprocess
import sys

from config.env import BASE_DIR

BASE_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "example.org",
}
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "settings.SECURE_HSTS_PRELOAD)"
)


def _load(**env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env={**BASE_ENV, **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_shared_cache():
    for cache_url in ("", "locmemcache://", "dummycache://"):
        result = _load(**({"CACHE_URL": cache_url} if cache_url else {}))
        assert result.returncode != 0
        assert "CACHE_URL must name a cache shared by every process" in result.stderr


def test_production_starts_with_redis_or_an_explicit_single_process():
    ok = _load(CACHE_URL="redis://127.0.0.1:6379/1")
    assert ok.returncode == 0, ok.stderr
    assert "RedisCache False False" in ok.stdout
    single = _load(SINGLE_PROCESS_CACHE_OK="1")
    assert single.returncode == 0, single.stderr


def test_hsts_subdomains_and_preload_are_configurable():
    result = _load(
        CACHE_URL="redis://127.0.0.1:6379/1", SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="true"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1:] == ["True", "True"]
