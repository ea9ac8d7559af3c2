"""In Chromium against real `streamlit run` servers: a fresh server's first request straight to a
page's path never shows data; every page answers at its own path (the Synthèse at /synthese);
two app servers on one PostgreSQL database share sessions and see each other's writes."""
from __future__ import annotations

import os

import pytest

from browser import OUTPUT, Server, metrics, settle, sign_in
from dashboard import auth
from dashboard.db import make_engine, upgrade
from dashboard.i18n import fmt_money
from dashboard.importer import import_workbook
from dashboard.ui.pages import PAGES, SIGNIN
from workbooks import good_workbook

PASSWORD = "layout test password"
ADMIN = "admin@e2e-layout.invalid"
DATA_SELECTORS = ('[data-testid="stMetric"]', '[data-testid="stDataFrame"]', '[data-testid="stPlotlyChart"]',
                  '[data-testid="stDeckGlJsonChart"]', '[data-testid="stTable"]', '[data-testid="stDownloadButton"]')


@pytest.fixture
def page(browser, request):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = ctx.new_page()
    yield tab
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        OUTPUT.mkdir(exist_ok=True)
        for i, t in enumerate(ctx.pages):
            t.screenshot(path=str(OUTPUT / f"{request.node.name}-{i}.png"), full_page=True)
    ctx.close()


def _database(url: str):
    engine = make_engine(url)
    upgrade(engine)
    assert import_workbook(engine, good_workbook()).ok
    auth.add_user(engine, ADMIN, "admin", PASSWORD)
    return engine


#: Every way a first request can name a page: the URL paths of the router, and the names Streamlit
#: gives the scripts of pages/ when it runs them as pages of their own.
FIRST_PATHS = sorted({p[3] for p in PAGES.values()} | {os.path.basename(p[0])[:-3] for p in PAGES.values()}
                     | {os.path.basename(SIGNIN)[:-3]})


def test_a_fresh_servers_first_request_straight_to_any_page_shows_no_data(tmp_path, page):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    _database(url)
    for path in FIRST_PATHS:
        server = Server(url, tmp_path / f"streamlit-{path}.log")  # a new server: no st.navigation call yet
        try:
            page.goto(f"{server.url}/{path}?programme=P1&as_of=2022-12-31")
            settle(page)
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert ("Connexion" in main or "Cette page s'ouvre depuis le tableau de bord" in main), (path, main)
            for selector in DATA_SELECTORS:
                assert page.locator(selector).count() == 0, (path, selector)
            assert "Programme un" not in page.content(), path  # not even the programme's name
            if path in {p[3] for p in PAGES.values()}:  # a page's own path opens (the sign-in page)
                assert page.get_by_text("Page not found").count() == 0, path
        finally:
            server.stop()


def test_every_page_answers_at_its_own_path_and_the_root_goes_to_the_synthese(tmp_path, page):
    url = f"sqlite:///{tmp_path / 'paths.db'}"
    _database(url)
    server = Server(url, tmp_path / "streamlit.log")
    try:
        sign_in(page, server.url, ADMIN, PASSWORD)
        page.goto(f"{server.url}/?programme=P1&as_of=2022-12-31")
        settle(page)
        page.wait_for_url("**/synthese?**")
        assert "programme=P1" in page.url and "as_of=2022-12-31" in page.url
        titles = {"synthese": "Synthèse", "budget": "Risque budgétaire", "financements": "Diversification",
                  "formations": "Formations", "progres": "Progrès", "donnees": "Données",
                  "administration": "Administration"}
        for path, title in titles.items():
            page.goto(f"{server.url}/{path}?programme=P1")
            settle(page)
            heading = page.locator('[data-testid="stMain"] h1').first.inner_text()
            assert heading.startswith(title), (path, heading)
            if path in {p[3] for p in PAGES.values()}:  # a page's own path opens (the sign-in page)
                assert page.get_by_text("Page not found").count() == 0, path
    finally:
        server.stop()


def test_two_app_servers_on_one_postgresql_share_sessions_and_writes(tmp_path, page):
    """Sign in through A; the cookie A set is valid on B; an import through A's Data page shows on
    B's open page at its next rerun. (good_workbook: spent 1 300.00 EUR; the import adds 200 EUR.)"""
    from conftest import _fresh_postgres

    pg = _fresh_postgres()
    upgrade(pg)
    url = pg.url.render_as_string(hide_password=False)
    assert import_workbook(pg, good_workbook()).ok
    auth.add_user(pg, ADMIN, "admin", PASSWORD)
    a, b = Server(url, tmp_path / "a.log"), Server(url, tmp_path / "b.log")
    try:
        sign_in(page, a.url, ADMIN, PASSWORD)
        cookie = next(c for c in page.context.cookies() if c["name"] == "dashboard_session")
        on_b = page.context.new_page()  # same browser: the cookie of 127.0.0.1 goes to B's port too
        on_b.goto(f"{b.url}/budget?programme=P1&as_of=2022-12-31")
        settle(on_b)
        on_b.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        assert metrics(on_b)["Dépensé"] == fmt_money(1300.0, "fr")  # signed in on B with A's cookie
        assert on_b.get_by_text("Page not found").count() == 0  # B's first request, at a page's path
        assert cookie["httpOnly"]

        page.goto(f"{a.url}/donnees?programme=P1")
        settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files=[{
            "name": "expenditures.csv", "mimeType": "text/csv",
            "buffer": b"programme_code,reference,budget_line_code,date,amount,currency\nP1,E4,L1,2022-05-10,200,EUR\n"}])
        page.get_by_text("Classeur valide").wait_for(timeout=30_000)
        settle(page)
        page.get_by_role("button", name="Appliquer l'import").click()
        settle(page)

        on_b.get_by_role("link", name="Risque budgétaire").click()  # B's next rerun
        settle(on_b)
        on_b.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        assert metrics(on_b)["Dépensé"] == fmt_money(1500.0, "fr")
    finally:
        a.stop()
        b.stop()
        pg.dispose()
