"""Without Chromium every browser test is skipped the same way, with one line saying how to enable
them; with a Chromium path they run. The gate is `pytest_runtest_setup` in `browser.py`."""

import os
import re
import subprocess
import sys
from pathlib import Path

from .browser import browser_unavailable

ROOT = Path(__file__).resolve().parents[3]
BROWSER_TEST_FILES = [
    "monitora/attachments/tests/test_browser.py",
    "monitora/search/tests/test_browser.py",
    "monitora/public/tests/test_browser.py",
    "monitora/authoring/tests/test_browser.py",
    "monitora/moderation/tests/test_browser.py",
]


def test_a_missing_chromium_path_explains_how_to_enable(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-chromium"))
    reason = browser_unavailable()
    assert f"Chromium not found at {tmp_path / 'no-chromium'}" in reason
    assert "apt-get install chromium" in reason and "CHROMIUM_PATH" in reason


def test_every_browser_test_skips_with_one_line_when_chromium_is_missing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["CHROMIUM_PATH"] = str(tmp_path / "no-chromium")
    result = subprocess.run(  # noqa: S603 (our own interpreter and test files)
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", "-m", "browser",
         *BROWSER_TEST_FILES],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    summary = re.search(r"(\d+) skipped", out)
    assert summary and int(summary.group(1)) >= 10, out
    assert not re.search(r"\d+ (passed|failed|error)", out), out
    skip_lines = [line for line in out.splitlines() if line.startswith("SKIPPED")]
    assert len(skip_lines) == 1, skip_lines  # one reason, folded by -rs into one line
    assert "Chromium not found at" in skip_lines[0] and "apt-get install chromium" in skip_lines[0]


def test_install_script_never_fails_and_respects_the_opt_out(tmp_path):
    bin_dir = tmp_path / "bin"  # a PATH with no chromium and no apt-get
    bin_dir.mkdir()
    for tool in ("id",):
        (bin_dir / tool).symlink_to(f"/usr/bin/{tool}")
    env = {"PATH": str(bin_dir), "MONITORA_INSTALL_CHROMIUM": "0"}
    script = ROOT / "scripts" / "install-chromium.sh"
    result = subprocess.run(["/bin/sh", str(script)], env=env, capture_output=True, text=True, timeout=30)  # noqa: S603
    assert (result.returncode, result.stdout) == (0, "")
    env.pop("MONITORA_INSTALL_CHROMIUM")  # allowed, but nothing to install with: still no failure
    result = subprocess.run(["/bin/sh", str(script)], env=env, capture_output=True, text=True, timeout=30)  # noqa: S603
    assert result.returncode == 0
