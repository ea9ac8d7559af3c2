"""Real-browser fixtures: ``streamlit run`` on a free port against a fresh database, and Playwright
driving Debian's Chromium (never a downloaded browser). Failure screenshots go to ci-output/."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
OUTPUT = ROOT / "ci-output"


def browser_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


def require_browser() -> None:
    """Skip without a browser, unless CI requires the browser tests (DASHBOARD_REQUIRE_BROWSER=1)."""
    if browser_available():
        return
    if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
        pytest.fail("DASHBOARD_REQUIRE_BROWSER=1 but playwright or /usr/bin/chromium is missing")
    pytest.skip("playwright or Debian's chromium is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``streamlit run SCRIPT`` (the app by default) against ``db_url``; stopped by :meth:`stop`."""

    def __init__(self, db_url: str | None, log: Path, script: str = "streamlit_app.py"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **({"DASHBOARD_DB_URL": db_url} if db_url else {})}
        self._log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {log}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def settle(page, timeout: float = 30_000) -> None:
    """Wait until the app has finished its rerun after an interaction and the browser has drawn
    what it sent (:data:`DRAWN`)."""
    page.wait_for_timeout(250)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function(DRAWN, timeout=timeout)
    page.wait_for_timeout(150)


#: A page drawn: its script has finished, no element waits for a part of the frontend loaded on
#: demand (a Suspense skeleton: Markdown's plugins, the plotly bundle) and every plotly chart has
#: its SVG. The script finishes before the browser has drawn what it sent: a first visit of a page
#: with a chart draws for a second more (plotly's 4.7 MB bundle), its cards meanwhile skeletons.
DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'));
}"""


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/")
    settle(page)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_response(lambda r: r.url.endswith("/auth/signin")):
        page.get_by_role("button", name="Se connecter").click()
    settle(page)
    page.wait_for_selector('[data-testid="stMetric"], [data-testid="stHeading"]')
    # the form posts to /auth/signin, which sets the session cookie with its redirect
    if not any(c["name"] == "dashboard_session" for c in page.context.cookies()):
        raise AssertionError("no session cookie after sign-in")


def metrics(page) -> dict[str, str]:
    found = {}
    for card in page.locator('[data-testid="stMetric"]').all():
        label = card.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        value = card.locator('[data-testid="stMetricValue"]').inner_text().strip()
        found[label] = value
    return found


def exceptions(page) -> int:
    return page.locator('[data-testid="stException"]').count()
