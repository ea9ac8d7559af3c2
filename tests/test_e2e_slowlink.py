"""Slow links (issue #14 item 15, issue #17's websocket bytes), in Chromium throttled to the link of
a programme manager in West Africa: 1.5 Mbit/s both ways, 150 ms latency, an empty cache
(bench/slowlink.py measures; bench/SLOWLINK.md has the figures).

Goals: the sign-in page in 8 s at most, each page's first visit after signing in in 12 s at most,
and at most 100 KB over the websocket per visit, on the demo data.

The goals are about the link; the machine's own time (parsing 4.7 MB of plotly, the page's run)
is part of each figure. On a quiet 2-core machine the same steps take about
``slowlink.QUIET_SECONDS`` unthrottled; what they take beyond that on the machine running this
test (a loaded CI box) is added to the time allowed, and printed. The bytes are asserted as they
are: the sign-in page and the visit together must fit in the link's time for both goals, less one
second for each page's latency and run."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from browser import OUTPUT, Server, require_browser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import slowlink  # noqa: E402
from dashboard import compression  # noqa: E402


@pytest.fixture(scope="module")
def results(browser, tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("slowlink")
    url = f"sqlite:///{folder / 'demo.db'}"
    slowlink.demo_database(url)
    compression.precompress()  # as after a server's first start: the brotli forms are kept on disk
    OUTPUT.mkdir(exist_ok=True)
    server = Server(url, folder / "streamlit.log")
    try:
        measured = slowlink.measure(server.url, browser=browser, open_map=False)
    finally:
        server.stop()
    report = slowlink.report(measured, "tests/test_e2e_slowlink.py")
    (OUTPUT / "slowlink.md").write_text(report, encoding="utf-8")
    print("\n" + report)
    return {r.page: r for r in measured}


@pytest.mark.parametrize("page", list(slowlink.PAGES))
def test_the_sign_in_page_and_a_first_visit_meet_the_slow_link_goals(results, page):
    r = results[page]
    signin_cpu, visit_cpu = r.unthrottled
    slack_signin = max(0.0, signin_cpu - slowlink.QUIET_SECONDS)
    slack_visit = max(0.0, visit_cpu - slowlink.QUIET_SECONDS)
    print(f"{page}: sign-in {r.signin.seconds:.1f} s (unthrottled {signin_cpu:.1f} s, allowance +{slack_signin:.1f} s), "
          f"visit {r.visit.seconds:.1f} s (unthrottled {visit_cpu:.1f} s, allowance +{slack_visit:.1f} s)")
    # nothing large crosses the link uncompressed, and the websocket is deflated
    assert r.signin.http_uncompressed == [] and r.visit.http_uncompressed == []
    assert r.visit.ws_compressed
    # issue #17: at most 100 KB over the websocket per visit (the payloads, before deflate)
    assert r.visit.ws_received <= slowlink.WEBSOCKET_GOAL_BYTES, r.visit.ws_received
    # the bytes fit the link's time for both goals (one second each left for latency and the run)
    budget = (slowlink.SIGNIN_GOAL_S - 1 + slowlink.VISIT_GOAL_S - 1) * slowlink.THROUGHPUT
    assert r.signin.http_wire + r.visit.http_wire <= budget, (r.signin.http_wire, r.visit.http_wire)
    assert r.signin.seconds <= slowlink.SIGNIN_GOAL_S + slack_signin
    assert r.visit.seconds <= slowlink.VISIT_GOAL_S + slack_visit


@pytest.fixture(scope="module")
def map_visits(browser, tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("slowlink-maps")
    url = f"sqlite:///{folder / 'demo.db'}"
    slowlink.demo_database(url)
    OUTPUT.mkdir(exist_ok=True)
    server = Server(url, folder / "streamlit.log")
    try:
        visits, shapes_requests = slowlink.measure_map_visits(browser, server.url)
    finally:
        server.stop()
    print("\n" + slowlink.map_report(visits, shapes_requests))
    return visits, shapes_requests


def test_visits_with_the_map_on_stay_under_100_kb_and_fetch_the_shapes_once(map_visits):
    """Issue #17: the map's shapes are sent once, not at every visit. With the map switched on, the
    training page, then the progress and training pages twice each by the sidebar: each visit's
    websocket payloads stay within 100 KB (with the world's shapes in the deck's JSON, the first
    visit of each was about 300 KB), and the outlines cross the network once (one HTTP request,
    then the browser's cache)."""
    visits, shapes_requests = map_visits
    assert [key for key, _ in visits] == ["training, map switched on", "progress", "training", "progress", "training"]
    for key, step in visits:
        assert step.ws_received <= slowlink.WEBSOCKET_GOAL_BYTES, (key, step.ws_received)
    assert shapes_requests == 1
