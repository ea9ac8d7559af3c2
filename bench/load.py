"""Load test: N concurrent browser sessions (Chromium through Playwright) on the demo for a while,
each signing in, then changing the programme, the countries and the page in a loop.

    python bench/load.py --sessions 20 --seconds 120          # the measurement (about 3 minutes)
    python bench/load.py --sessions 3 --seconds 10 --out -    # a smoke run

Reports errors (target 0), the 95th percentile of the time from an action to a rendered page, and
the server's peak memory (VmHWM of the streamlit process). Traffic stays on 127.0.0.1: the
server is started here on a free port, against a fresh copy of the demo database.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import CHROMIUM, FLAGS, IDLE, Server  # noqa: E402
from dashboard import auth  # noqa: E402
from dashboard.bootstrap import load_demo  # noqa: E402
from dashboard.db import make_engine  # noqa: E402

PASSWORD = "load test password"
PAGES = ["/", "/budget", "/financements", "/formations", "/progres"]
FILTERS = [("PCRPM-C2", ""), ("PCRPM-C2", "SEN"), ("LT-PAIRS", ""), ("LT-PAIRS", "MLI,SEN"), ("PCRPM-C2", "GIN,CIV")]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def rendered(page) -> None:
    await page.wait_for_timeout(200)
    await page.wait_for_selector(IDLE, timeout=60_000)


async def session(browser, base: str, email: str, until: float, times: list[float], errors: list[str], n: int):
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(90_000)  # 2 cores serve the server and every browser tab
    try:
        await asyncio.sleep(1.5 * n)  # ramp up: people do not all arrive in the same second
        await page.goto(base + "/")
        await rendered(page)
        await page.get_by_label("Adresse e-mail").fill(email)
        await page.get_by_label("Mot de passe").fill(PASSWORD)
        async with page.expect_response(lambda r: r.url.endswith("/auth/signin")):
            await page.get_by_role("button", name="Se connecter").click()  # the route sets the cookie
        await rendered(page)
        step = n
        while step == n or time.monotonic() < until:  # at least one page each, however slow the machine
            programme, countries = FILTERS[step % len(FILTERS)]
            path = PAGES[step % len(PAGES)]
            query = f"?programme={programme}" + (f"&countries={countries}" if countries else "")
            started = time.monotonic()
            await page.goto(base + path + query)
            await rendered(page)
            times.append(time.monotonic() - started)
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"exception on {path}{query}")
            step += 1
    except Exception as exc:  # noqa: BLE001 - every failure counts as an error of the run
        errors.append(f"{email}: {exc.__class__.__name__}: {str(exc)[:120]}")
    finally:
        await context.close()


async def run(base: str, sessions: int, seconds: float, emails: list[str]) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        until = time.monotonic() + seconds
        await asyncio.gather(*[session(browser, base, emails[i], until, times, errors, i) for i in range(sessions)])
        await browser.close()
    return times, errors


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--out", default=str(ROOT / "bench" / "LOAD.md"), help="markdown report, '-' for none")
    args = ap.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="load-"))
    url = f"sqlite:///{folder / 'load.db'}"
    engine = make_engine(url)
    assert load_demo(engine).ok
    emails = [f"conseil{i}@load.invalid" for i in range(args.sessions)]
    for email in emails:
        auth.add_user(engine, email, "conseil", PASSWORD)
    server = Server(url, folder / "streamlit.log")
    try:
        times, errors = asyncio.run(run(server.url, args.sessions, args.seconds, emails))
        peak = peak_rss_mb(server.process.pid)
    finally:
        server.stop()
    p95 = statistics.quantiles(times, n=20)[18] if len(times) >= 20 else max(times, default=float("nan"))
    median = statistics.median(times) if times else float("nan")
    lines = [
        f"| sessions | duration | pages rendered | errors | median | 95th percentile | server peak RSS |",
        f"|---|---|---|---|---|---|---|",
        f"| {args.sessions} | {args.seconds:.0f} s | {len(times)} | {len(errors)} | {median:.2f} s | {p95:.2f} s "
        f"| {peak:.0f} MB |",
    ]
    print("\n".join(lines))
    for error in errors[:10]:
        print("error:", error)
    if args.out != "-":
        Path(args.out).write_text(
            "# Load test\n\n"
            f"`python bench/load.py --sessions {args.sessions} --seconds {args.seconds:.0f}` on "
            f"{dt.date.today().isoformat()}, {platform.machine()} with {platform.python_implementation()} "
            f"{platform.python_version()}, 2 cores (the browser sessions and the server share them).\n"
            "Each session signs in as a board member, then loops over the five reading pages with a different "
            "programme and country filter each time (a full page load: a new Streamlit session that the "
            "session cookie signs in). Time = from the navigation to the app reporting it finished running.\n\n"
            + "\n".join(lines) + "\n" + "".join(f"\n- error: {e}" for e in errors[:10]) + "\n")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
