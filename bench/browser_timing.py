"""The pages as people feel them: Chromium (Playwright) on a local ``streamlit run``, per page.

Used by ``bench/run.py --browser``. For each page, medians of ``repeat`` rounds:

- **first visit**: after the sign-in, a new tab of the same browser (its HTTP cache and session
  cookie) opens the page's address: a new Streamlit session; from the navigation to the page stable;
- **sidebar click**: in a tab already open, a click on the page's link in the sidebar, to the
  page stable;
- **filter change** (the budget page): a country chosen in the sidebar filter, to the charts drawn
  again with the new figures;
- per visit: the bytes received over the websocket (the messages' decoded payloads), the number
  of plotly charts (and maps), and the time split measured by the browser itself (``performance.now()`` in the page, an
  instrumented ``WebSocket``): *before* (navigation: HTML, scripts, connecting; click: the
  frontend until it sends its ``rerun_script``), *server* (from that message to the last message
  of the run, ``script_finished``: the script's run, serialisation and transfer) and *drawing*
  (from there to the page stable).

"Stable": the app reports its script not running, every plotly chart has its SVG, two animation
frames have passed, and no websocket message came in during 150 ms after that.

Each round uses another programme of the scale workbook, so that the server's caches are cold for
the first visit of each page in each round (the sidebar clicks that follow then find them warm, as
a person moving between pages does).

**Wire pass**, after the timed rounds (so that the timings go through no proxy): the same browser
reaches the app through ``bench/wire.py``'s proxy, which counts the bytes of the websocket frames
the server sends, headers included, as they travel: compressed, since the app turns
permessage-deflate on (``.streamlit/config.toml``). For each page, one first visit (a new tab) and
one sidebar click, each with its bytes on the wire (the proxy's count from the action to the page
stable) and its decoded payload (as above). The server's ``Sec-WebSocket-Extensions`` answer is
recorded, and the pass fails if a websocket went without permessage-deflate.

The **floor page** (``bench/floor/floor_app.py``) is served by a second ``streamlit run`` and
measured the same way with, for each page, the same number of charts, tables and other elements,
all empty: what Streamlit itself costs for that many elements, so the difference is what is left
to win.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests", ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

FLOOR = ROOT / "bench" / "floor" / "floor_app.py"
TIMEOUT_MS = int(os.environ.get("BENCH_BROWSER_TIMEOUT_MS", "600000"))
QUIET_MS = 150
#: Rounds that also measure the floor page (its medians), interleaved with the app's first ones.
FLOOR_ROUNDS = 3

# Every message of the app's websocket, with the page's own clock; the time of the last click or
# Enter. Installed before any script of the page runs.
PROBE = """
(() => {
  const probe = window.__probe = {recv: [], sent: [], action: 0};
  const Native = window.WebSocket;
  const size = d => d.byteLength ?? d.size ?? d.length ?? 0;
  class Probed extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => probe.recv.push([performance.now(), size(e.data)]));
    }
    send(data) { probe.sent.push([performance.now(), size(data)]); return super.send(data); }
  }
  window.WebSocket = Probed;
  const mark = e => { if (e.type === 'click' || e.key === 'Enter') probe.action = performance.now(); };
  document.addEventListener('click', mark, true);
  document.addEventListener('keydown', mark, true);
})();
"""

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHARTS = '[data-testid="stPlotlyChart"], [data-testid="stDeckGlJsonChart"]'
TABLES = '[data-testid="stDataFrame"], [data-testid="stTable"]'

SETTLED = """([idle, since, plotly, decks]) => {
  const p = window.__probe;
  if (!p || !p.recv.some(r => r[0] >= since)) return false;
  if (!document.querySelector(idle)) return false;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(c => c.querySelector('.main-svg'));
  return charts.length >= plotly && document.querySelectorAll('[data-testid="stDeckGlJsonChart"]').length >= decks;
}"""


class Frames:
    """The app's websocket frames as Playwright sees them, decoded: which run they belong to, and
    how many charts the run sends (a cached message comes as a reference to its hash: the kind
    of the message first received with that hash)."""

    def __init__(self, page):
        self.kinds: list[str] = []
        self.sizes: list[int] = []  # each message's decoded payload, bytes
        self.known: dict[str, str] = {}
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, str):
            return
        msg = ForwardMsg.FromString(payload)
        kind = msg.WhichOneof("type") or ""
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            kind = msg.delta.new_element.WhichOneof("type") or ""
        elif kind == "ref_hash":
            kind = self.known.get(msg.ref_hash, "")
        if kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            kind = "rerun"
        if msg.hash:
            self.known[msg.hash] = kind
        self.kinds.append(kind)
        self.sizes.append(len(payload))

    def bytes_by_kind(self, start: int, end: int | None = None) -> dict[str, int]:
        """Decoded payload bytes of the messages ``start:end``, per kind, largest first."""
        totals: dict[str, int] = {}
        for kind, size in zip(self.kinds[start:end], self.sizes[start:end]):
            totals[kind or "other"] = totals.get(kind or "other", 0) + size
        return dict(sorted(totals.items(), key=lambda item: -item[1]))

    def mark(self) -> int:
        return len(self.kinds)

    def expected(self, page, start: int) -> tuple[int, int]:
        """Wait for the run's ``script_finished``; its plotly charts and maps."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while "script_finished" not in self.kinds[start:]:
            if time.monotonic() > deadline:
                raise TimeoutError("no script_finished")
            page.wait_for_timeout(20)
        run = self.kinds[start:]
        # a run cut short by a rerun (FINISHED_EARLY_FOR_RERUN): only the last run's elements count
        if "rerun" in run:
            run = run[len(run) - run[::-1].index("rerun"):]
        return run.count("plotly_chart"), run.count("deck_gl_json_chart")


FRAMES: dict[int, Frames] = {}


def watch(page) -> None:
    FRAMES[id(page)] = Frames(page)


def _frames(page) -> float:
    return page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
                         "() => r(performance.now()))))")


def settle(page, since: float, start: int = 0) -> float:
    """Wait until the page is stable after an action at page time ``since`` (Playwright's frame
    ``start``); the page time then."""
    frames = FRAMES[id(page)]
    while True:
        plotly, decks = frames.expected(page, start)
        page.wait_for_function(SETTLED, arg=[IDLE, since, plotly, decks], timeout=TIMEOUT_MS, polling="raf")
        stable = _frames(page)
        page.wait_for_timeout(QUIET_MS)
        later = page.evaluate("t => window.__probe.recv.filter(r => r[0] > t).length", stable)
        if not later:
            return stable
        start = frames.mark() - later


def visit_figures(page, since: float, stable: float) -> dict:
    """Bytes, split and elements of the run that followed the action at ``since``."""
    probe = page.evaluate("() => window.__probe")
    recv = [r for r in probe["recv"] if since <= r[0] <= stable]
    sent = [s for s in probe["sent"] if s[0] >= since]
    first_sent = sent[0][0] if sent else since
    last = recv[-1][0] if recv else stable
    counts = page.evaluate("""([charts, tables]) => ({
        charts: document.querySelectorAll(charts).length,
        plotly: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
        tables: document.querySelectorAll(tables).length,
        elements: document.querySelectorAll('[data-testid="stElementContainer"]').length})""", [CHARTS, TABLES])
    return {"seconds": (stable - since) / 1000, "before_s": (first_sent - since) / 1000,
            "server_s": (last - first_sent) / 1000, "drawing_s": (stable - last) / 1000,
            "ws_bytes": sum(r[1] for r in recv), "messages": len(recv), **counts}


def goto(page, url: str) -> dict:
    """A navigation to ``url``, timed from the navigation's start (page time 0)."""
    start = FRAMES[id(page)].mark()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    stable = settle(page, 0.0, start)
    return visit_figures(page, 0.0, stable)


def click_link(page, path: str) -> dict:
    """A click on the sidebar's link to ``path``."""
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first
    link.wait_for(timeout=TIMEOUT_MS)
    start = FRAMES[id(page)].mark()
    link.click()
    since = page.evaluate("() => window.__probe.action")
    stable = settle(page, since, start)
    return visit_figures(page, since, stable)


def choose_country(page, name: str, code: str) -> dict:
    """One more country in the sidebar filter (typed, then Enter)."""
    page.locator('[data-testid="stMultiSelect"] input').first.click()
    page.keyboard.type(name)
    start = FRAMES[id(page)].mark()
    page.keyboard.press("Enter")
    since = page.evaluate("() => window.__probe.action")
    page.wait_for_function("c => (new URLSearchParams(location.search).get('countries') || '').split(',').includes(c)",
                           arg=code, timeout=TIMEOUT_MS)
    stable = settle(page, since, start)
    page.keyboard.press("Escape")
    return visit_figures(page, since, stable)


def _wire_visit(page, proxy, since_connection: int, action) -> dict:
    """One visit through the proxy (``action(page)`` returns its figures): the websocket bytes on
    the wire of the connections opened after ``since_connection`` (the page's own), from before the
    action to the page stable, next to the decoded payload and its largest kinds of message."""
    frames = FRAMES[id(page)]
    start = frames.mark()
    before = proxy.ws_bytes(since_connection)
    visit = action(page)
    wire = proxy.ws_bytes(since_connection) - before
    return {"wire_bytes": wire, "ws_bytes": visit["ws_bytes"], "messages": visit["messages"],
            "by_kind": dict(list(frames.bytes_by_kind(start).items())[:4])}


def wire_pass(context, base: str, pages: list[str], paths: dict[str, str], programme: str) -> dict:
    """Every page's first visit and sidebar click through a :class:`wire.WireProxy` in front of
    the server at ``base`` (see the module's docstring): page -> ``wire_first``, ``wire_click``;
    and ``extensions``, the server's ``Sec-WebSocket-Extensions`` (raises without permessage-deflate).
    ``context``: the signed-in browser context (the session cookie is the host's, whatever the port)."""
    from wire import WireProxy

    out: dict = {"pages": {p: {} for p in pages}}
    with WireProxy.before(base) as proxy:
        for p in pages:
            fresh = context.new_page()
            watch(fresh)
            url = f"{proxy.url}/{paths[p]}?programme={programme}"
            out["pages"][p]["wire_first"] = _wire_visit(fresh, proxy, proxy.mark(), lambda page: goto(page, url))
            fresh.close()
        tab = context.new_page()
        watch(tab)
        own = proxy.mark()
        goto(tab, f"{proxy.url}/{paths[pages[-1]]}?programme={programme}")
        for p in pages:
            out["pages"][p]["wire_click"] = _wire_visit(tab, proxy, own, lambda page: click_link(page, paths[p]))
        tab.close()
        out["extensions"] = proxy.require_deflate()
    return out


def FloorServer(log: Path):
    """``streamlit run bench/floor/floor_app.py`` on a free port (tests/browser.py's Server)."""
    from browser import Server

    return Server(None, log, script=str(FLOOR))


def floor_query(counts: dict) -> str:
    return (f"charts={counts['charts']}&tables={counts['tables']}"
            f"&others={max(counts['elements'] - counts['charts'] - counts['tables'] - 1, 0)}")


def budget_countries(db_url: str, programme: str) -> list[str]:
    """The countries of a programme's budget lines (a filter on them changes the budget page)."""
    import sqlalchemy as sa

    from dashboard.db import make_engine

    engine = make_engine(db_url)
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT DISTINCT country_iso3 FROM budget_lines WHERE programme_code = :p "
                                     "AND country_iso3 IS NOT NULL ORDER BY country_iso3"), {"p": programme})
        codes = [c for (c,) in found]
    engine.dispose()
    return codes


def _median(samples: list[dict]) -> dict:
    keys = [k for k in samples[0] if isinstance(samples[0][k], (int, float))]
    out = {k: statistics.median(s[k] for s in samples) for k in keys}
    out["samples"] = [round(s["seconds"], 3) for s in samples]
    return out


def measure(db_url: str, pages: list[str], programmes: list[tuple[str, list[str]]], email: str, password: str,
            repeat: int = 5, floor: dict | None = None, log=print) -> dict:
    """Every browser figure of one database (see the module's docstring). ``floor``: the floor
    page's figures of an earlier call, reused (page -> ``floor_first``, ``floor_rerun``), since the
    floor page does not depend on the database."""
    from browser import CHROMIUM, FLAGS, Server, sign_in
    from playwright.sync_api import sync_playwright

    from dashboard.i18n import country_name
    from dashboard.ui.pages import PAGES as ALL

    paths = {p: ALL[p][3] for p in pages}
    tmp = Path(tempfile.gettempdir())
    server = Server(db_url, tmp / "dashboard-bench-streamlit.log")
    floor_server = None if floor else FloorServer(tmp / "dashboard-bench-floor.log")
    first: dict[str, list] = {p: [] for p in pages}
    click: dict[str, list] = {p: [] for p in pages}
    floor_first: dict[str, list] = {p: [] for p in pages}
    floor_rerun: dict[str, list] = {p: [] for p in pages}
    filters: list[dict] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            viewport = {"width": 1400, "height": 1000}
            signed = browser.new_context(viewport=viewport)
            signed.add_init_script(PROBE)
            tab = signed.new_page()
            watch(tab)
            sign_in(tab, server.url, email, password)
            if floor_server:  # the floor page's browser, its HTTP cache filled once as the app's is by the sign-in
                floor_context = browser.new_context(viewport=viewport)
                floor_context.add_init_script(PROBE)
                warm = floor_context.new_page()
                watch(warm)
                goto(warm, f"{floor_server.url}/?others=1")
                warm.close()
            for round_ in range(repeat):
                programme, countries = programmes[(round_ + 1) % len(programmes)]
                # first visits: each page in a new tab of the signed-in browser (its HTTP cache holds
                # the frontend's scripts since the sign-in page), a new Streamlit session
                for p in pages:
                    fresh = signed.new_page()
                    watch(fresh)
                    first[p].append(goto(fresh, f"{server.url}/{paths[p]}?programme={programme}"))
                    fresh.close()
                # sidebar clicks, in one tab, each page from the one before it
                goto(tab, f"{server.url}/{paths[pages[-1]]}?programme={programme}")
                for p in pages:
                    click[p].append(click_link(tab, paths[p]))
                # the country filter on the budget page (a selection not seen before in the run)
                countries = budget_countries(db_url, programme)
                if countries and "budget" in pages:
                    goto(tab, f"{server.url}/{paths['budget']}?programme={programme}")
                    code = countries[round_ % len(countries)]
                    filters.append(choose_country(tab, country_name(code, "fr"), code))
                # the floor page with each page's elements: a first visit, then a rerun (its button);
                # in the first FLOOR_ROUNDS rounds only (a reference: it does not change with the app)
                for p in pages if floor_server and round_ < FLOOR_ROUNDS else ():
                    query = floor_query(first[p][-1])
                    fresh = floor_context.new_page()
                    watch(fresh)
                    floor_first[p].append(goto(fresh, f"{floor_server.url}/?{query}"))
                    start = FRAMES[id(fresh)].mark()
                    fresh.get_by_role("button", name="rerun").click()
                    since = fresh.evaluate("() => window.__probe.action")
                    floor_rerun[p].append(visit_figures(fresh, since, settle(fresh, since, start)))
                    fresh.close()
                log(f"  browser round {round_ + 1}/{repeat}: " + ", ".join(
                    f"{p} {first[p][-1]['seconds']:.2f}/{click[p][-1]['seconds']:.2f}" for p in pages))
            # the bytes on the wire, after the timed rounds: through the proxy, the first round's programme
            wire = wire_pass(signed, server.url, pages, paths, programmes[1 % len(programmes)][0])
            log("  browser wire (KB wire/payload, first visit; click): " + ", ".join(
                f"{p} {w['wire_first']['wire_bytes'] / 1000:.0f}/{w['wire_first']['ws_bytes'] / 1000:.0f}; "
                f"{w['wire_click']['wire_bytes'] / 1000:.0f}/{w['wire_click']['ws_bytes'] / 1000:.0f}"
                for p, w in wire["pages"].items()) + f" ({wire['extensions']})")
            browser.close()
    finally:
        server.stop()
        if floor_server:
            floor_server.stop()
    result = {"pages": {p: {"first": _median(first[p]), "click": _median(click[p]),
                            "floor_first": floor[p]["floor_first"] if floor else _median(floor_first[p]),
                            "floor_rerun": floor[p]["floor_rerun"] if floor else _median(floor_rerun[p]),
                            **wire["pages"][p]}
                        for p in pages},
              "wire_extensions": wire["extensions"]}
    if filters:
        result["filter"] = _median(filters)
    return result
