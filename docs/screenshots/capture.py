"""Screenshots of every page, in French and English, on a desktop (1440x1000) and a phone (390x844).

    .venv/bin/python docs/screenshots/capture.py [--pages budget,funding] [--langs fr] [--devices phone] [--out DIR]

Loads the demo into a fresh SQLite file as a first start does (demo mode, demo accounts), starts
``streamlit run`` on it (tests/browser.py's Server), signs in as the board demo account (the admin demo
account for the Administration and Data pages) with Debian's Chromium, and writes
``<out>/<page>-<lang>-<desktop|phone>.png`` (full page). The sign-in page is taken signed out.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import CHROMIUM, FLAGS, Server, settle, sign_in  # noqa: E402

from dashboard.auth import DEMO_ACCOUNTS  # noqa: E402
from dashboard.bootstrap import load_demo  # noqa: E402
from dashboard.db import make_engine, upgrade  # noqa: E402

#: page name -> (URL path, demo role that opens it); signed out, the root shows the sign-in page
PAGES = {
    "overview": ("synthese", "conseil"), "budget": ("budget", "conseil"), "funding": ("financements", "conseil"),
    "training": ("formations", "conseil"), "progress": ("progres", "conseil"), "packs": ("dossiers", "conseil"),
    "data": ("donnees", "admin"), "admin": ("administration", "admin"), "signin": ("", None),
}
VIEWPORTS = {"desktop": (1440, 1000), "phone": (390, 844)}
#: a drawn page (its run is over when settle() returns: this only guards against an empty page)
READY = '[data-testid="stMain"] h1'


def _account(role: str) -> dict:
    return next(a for a in DEMO_ACCOUNTS if a["role"] == role)


def _whole_page(tab, width: int, height: int) -> None:
    """Streamlit scrolls inside its main area, not the document: a full-page screenshot is the
    viewport. Grow the viewport to the height of the content (the first ``height`` pixels are
    still what the first screen shows)."""
    tall = tab.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stSidebarContent"]')].map(e => e.scrollHeight), 0)""")
    if tall > height:
        tab.set_viewport_size({"width": width, "height": min(int(tall) + 40, 12_000)})
        tab.wait_for_timeout(600)
        settle(tab, timeout=90_000)


def capture(out: Path, pages: list[str], langs: list[str], devices: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        engine = make_engine(url)
        upgrade(engine)
        report = load_demo(engine, start_demo_mode=True)
        engine.dispose()
        if not report.ok:
            raise SystemExit(report.render("en"))
        server = Server(url, Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as p:
                chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                for device in devices:
                    width, height = VIEWPORTS[device]
                    contexts: dict[str | None, object] = {}
                    for name in pages:
                        path, role = PAGES[name]
                        if role not in contexts:
                            ctx = chromium.new_context(viewport={"width": width, "height": height})
                            if role is not None:
                                account = _account(role)
                                sign_in(ctx.new_page(), server.url, account["email"], account["password"])
                            contexts[role] = ctx
                        for lang in langs:
                            tab = contexts[role].new_page()  # a new page: a new session, which reads ?lang=
                            tab.goto(f"{server.url}/{path}?lang={lang}")
                            settle(tab, timeout=90_000)
                            tab.wait_for_selector(READY, timeout=90_000)
                            tab.wait_for_timeout(800)  # charts' first paint
                            _whole_page(tab, width, height)
                            target = out / f"{name}-{lang}-{device}.png"
                            tab.screenshot(path=str(target), full_page=True)
                            written.append(target)
                            print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target, flush=True)
                            tab.close()
                    for ctx in contexts.values():
                        ctx.close()
                chromium.close()
        finally:
            server.stop()
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default=",".join(PAGES), help="comma-separated: " + ", ".join(PAGES))
    ap.add_argument("--langs", default="fr,en")
    ap.add_argument("--devices", default=",".join(VIEWPORTS), help="comma-separated: " + ", ".join(VIEWPORTS))
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    a = ap.parse_args()
    pages = [p for p in a.pages.split(",") if p]
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        ap.error(f"unknown page(s): {', '.join(unknown)}")
    a.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    devices = [d for d in a.devices.split(",") if d]
    if any(d not in VIEWPORTS for d in devices):
        ap.error(f"devices: {', '.join(VIEWPORTS)}")
    written = capture(a.out, pages, [x for x in a.langs.split(",") if x], devices)
    print(f"{len(written)} screenshots in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
