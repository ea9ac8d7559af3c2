"""In Chromium, on the demo as a first start leaves it (demo mode, demo accounts): what people read
and type (issue #14). The headline figures are on a phone's first screen; a typed as-of date
applies on Enter; the sign-in page switches language, and the pages keep it after sign-in."""
from __future__ import annotations

import datetime as dt

import pytest

from browser import OUTPUT, Server, metrics, require_browser, settle, sign_in
from dashboard.auth import DEMO_ACCOUNTS
from dashboard.bootstrap import load_demo
from dashboard.db import make_engine, upgrade
from dashboard.i18n import fmt_date, fmt_money
from dashboard.kpis import compute_kpis

BOARD = next(a for a in DEMO_ACCOUNTS if a["role"] == "conseil")
PHONE = {"width": 390, "height": 844}
#: page path -> its first headline figures, in the order the page shows them: these must lie on
#: the first phone screen (the overview showed one, under a six-line title and the demo banner)
HEADLINES = {
    "synthese": ["Exécution budgétaire", "Indice de consommation"],
    "budget": ["Budget", "Dépensé", "Indice de consommation"],
    "financements": ["Financements signés", "Indice de concentration (HHI)"],
    "formations": ["Sessions", "Personnes distinctes", "Organisations distinctes"],
    "progres": ["Ensemble du programme", None],  # the programme's card, then the first country's
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("reading")
    url = f"sqlite:///{folder / 'demo.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert load_demo(engine, start_demo_mode=True).ok  # as the first start of the embedded file
    server = Server(url, folder / "streamlit.log")
    yield server.url, engine
    server.stop()
    engine.dispose()


def _context(browser, request, **options):
    context = browser.new_context(**options)
    request.addfinalizer(lambda: _close(context, request))
    return context


def _close(context, request) -> None:
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        OUTPUT.mkdir(exist_ok=True)
        for i, tab in enumerate(context.pages):
            tab.screenshot(path=str(OUTPUT / f"{request.node.name}-{i}.png"))
    context.close()


def test_the_headline_figures_are_on_the_first_phone_screen(demo, browser, request):
    """390 x 844: on each page the first headline figures (label and value) lie wholly within the
    first screen, under a title of at most three lines (the Synthèse's took six)."""
    base, _ = demo
    tab = _context(browser, request, viewport=PHONE).new_page()
    sign_in(tab, base, BOARD["email"], BOARD["password"])
    off_screen = {}
    for path, labels in HEADLINES.items():
        tab.goto(f"{base}/{path}?programme=PCRPM-C2")
        settle(tab, 60_000)  # positions as the reader sees them, once every card is drawn
        tab.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        cards = tab.locator('[data-testid="stMetric"]').all()[:len(labels)]
        shown = [c.locator('[data-testid="stMetricLabel"]').inner_text().strip() for c in cards]
        assert [s if want else None for s, want in zip(shown, labels)] == labels, path
        boxes = [c.bounding_box() for c in cards]
        below = [(label, round(b["y"] + b["height"])) for label, b in zip(shown, boxes)
                 if b["y"] < 0 or b["y"] + b["height"] > PHONE["height"]]
        title = tab.locator('[data-testid="stMain"] h1').first.bounding_box()
        if below or title["height"] > 200:  # at most three lines (one is about 89 px with its margins)
            off_screen[path] = (below, round(title["height"]))
    assert off_screen == {}


def test_a_typed_as_of_date_applies_on_enter(demo, browser, request):
    """Type a date in the sidebar's as-of field and press Enter (no click elsewhere): the page's
    date and figures change to those of ``kpis`` at that date."""
    base, engine = demo
    tab = _context(browser, request, viewport={"width": 1440, "height": 1000}).new_page()
    sign_in(tab, base, BOARD["email"], BOARD["password"])
    tab.goto(f"{base}/budget?programme=PCRPM-C2")
    settle(tab)
    field = tab.get_by_role("textbox", name="Situation au", exact=True)
    field.click()
    field.press("Control+a")
    tab.keyboard.type("31/12/2022")
    tab.keyboard.press("Enter")
    settle(tab)
    day = dt.date(2022, 12, 31)
    with engine.connect() as conn:
        spent = compute_kpis(conn, "PCRPM-C2", day)["budget"]["spent"]
    main = tab.locator('[data-testid="stMain"]').inner_text()
    assert f"situation au {fmt_date(day, 'fr')}" in main
    assert metrics(tab)["Dépensé"] == fmt_money(spent, "fr")
    assert "as_of=2022-12-31" in tab.url
    assert field.input_value() == "31/12/2022"  # focus never left the field

    # a date that does not exist: said in a sentence, the date shown still applies
    field.press("Control+a")
    tab.keyboard.type("31/02/2022")
    tab.keyboard.press("Enter")
    settle(tab)
    assert tab.get_by_text("« 31/02/2022 » n'est pas une date acceptée").count() == 1
    assert field.input_value() == "31/12/2022" and "as_of=2022-12-31" in tab.url


def test_the_sign_in_page_switches_language_and_the_pages_keep_it(demo, browser, request):
    base, _ = demo
    tab = _context(browser, request, viewport={"width": 1440, "height": 1000}).new_page()
    tab.goto(base + "/")
    settle(tab)
    assert tab.locator('[data-testid="stMain"] h1').first.inner_text() == "Connexion"
    tab.locator('[data-testid="stMain"]').get_by_text("English", exact=True).click()
    settle(tab)
    assert tab.locator('[data-testid="stMain"] h1').first.inner_text() == "Sign in"
    assert "lang=en" in tab.url
    tab.get_by_label("E-mail address").fill(BOARD["email"])
    tab.get_by_label("Password").fill(BOARD["password"])
    with tab.expect_response(lambda r: r.url.endswith("/auth/signin")):
        tab.get_by_role("button", name="Sign in").click()
    settle(tab)
    tab.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    assert tab.locator('[data-testid="stMain"] h1').first.inner_text() == "Overview"
    assert "Budget execution" in metrics(tab)
    assert "lang=en" in tab.url
