"""Sessions in Chromium: the cookie's flags, a cookie replayed after sign-out, an open tab signed out
by a password reset from the command line, a shared link kept through the sign-in, /healthz."""
from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from browser import OUTPUT, ROOT, Server, require_browser, settle, sign_in
from dashboard import auth
from dashboard.bootstrap import load_demo
from dashboard.db import make_engine, upgrade

PASSWORD = "browser test password"
COOKIE = "dashboard_session"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("e2e_sessions")
    url = f"sqlite:///{folder / 'sessions.db'}"
    engine = make_engine(url)
    assert load_demo(engine).ok
    for name in ("flags", "replay", "reset", "link"):
        auth.add_user(engine, f"{name}@e2e.invalid", "conseil", PASSWORD)
    server = Server(url, folder / "streamlit.log")
    yield server.url, url, engine
    server.stop()
    log = (folder / "streamlit.log").read_text()
    assert "deprecat" not in log.lower(), log  # e.g. st.components.v1.html's removal notice


@pytest.fixture
def context(browser, request):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield ctx
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        OUTPUT.mkdir(exist_ok=True)
        for i, tab in enumerate(ctx.pages):
            tab.screenshot(path=str(OUTPUT / f"{request.node.name}-{i}.png"), full_page=True)
    ctx.close()


def title(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def test_the_session_cookie_is_httponly_strict_and_unreadable_by_scripts(app, context):
    base, _, _ = app
    page = context.new_page()
    sign_in(page, base, "flags@e2e.invalid", PASSWORD)
    [cookie] = [c for c in context.cookies() if c["name"] == COOKIE]
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["secure"] is False  # plain HTTP on 127.0.0.1, no trusted proxy
    assert COOKIE not in page.evaluate("document.cookie")
    page.evaluate(f"document.cookie = '{COOKIE}=forged; path=/'")  # a script cannot replace it either
    assert [c["value"] for c in context.cookies() if c["name"] == COOKIE] == [cookie["value"]]


def test_a_cookie_copied_before_sign_out_is_refused_after(app, browser, context):
    base, _, _ = app
    page = context.new_page()
    sign_in(page, base, "replay@e2e.invalid", PASSWORD)
    copied = [c for c in context.cookies() if c["name"] == COOKIE]
    # the copy works while the session lives
    thief = browser.new_context()
    try:
        thief.add_cookies(copied)
        stolen = thief.new_page()
        stolen.goto(base + "/")
        settle(stolen)
        assert title(stolen).startswith("Synthèse")
        page.locator("[data-testid=stSidebar]").get_by_role("button", name="Se déconnecter").click()
        page.wait_for_selector("h1:has-text('Connexion')")
        settle(page)
        assert title(page) == "Connexion" and not [c for c in context.cookies() if c["name"] == COOKIE]
        replay = thief.new_page()
        replay.goto(base + "/")
        settle(replay)
        assert title(replay) == "Connexion"
        # and the tab that was open with the copy is signed out at its next click
        stolen.locator('[data-testid="stSidebarNavLink"]', has_text="Risque budgétaire").first.click()
        settle(stolen)
        assert title(stolen) == "Connexion"
    finally:
        thief.close()


def test_a_password_reset_from_the_command_line_signs_an_open_tab_out(app, context):
    base, url, _ = app
    page = context.new_page()
    sign_in(page, base, "reset@e2e.invalid", PASSWORD)
    assert title(page).startswith("Synthèse")
    reset = subprocess.run([sys.executable, "-m", "dashboard", "users", "set-password", "reset@e2e.invalid",
                            "--db", url], cwd=ROOT, input="a new long password\n", capture_output=True, text=True)
    assert reset.returncode == 0, reset.stderr
    page.locator('[data-testid="stSidebarNavLink"]', has_text="Risque budgétaire").first.click()  # next click
    settle(page)
    assert title(page) == "Connexion"
    page.reload()
    settle(page)
    assert title(page) == "Connexion"  # the cookie's session is gone from the database


def test_a_shared_link_is_kept_through_the_sign_in(app, context):
    base, _, _ = app
    page = context.new_page()
    page.goto(f"{base}/budget?programme=LT-PAIRS&as_of=2022-12-31")
    settle(page)
    assert title(page) == "Connexion"
    page.get_by_label("Adresse e-mail").fill("link@e2e.invalid")
    page.get_by_label("Mot de passe").fill("not the password")
    with page.expect_response(lambda r: r.url.endswith("/auth/signin")):
        page.get_by_role("button", name="Se connecter").click()
    settle(page)
    assert "Adresse ou mot de passe incorrect." in page.locator('[data-testid="stAlert"]').inner_text()
    page.get_by_label("Adresse e-mail").fill("link@e2e.invalid")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_response(lambda r: r.url.endswith("/auth/signin")):
        page.get_by_role("button", name="Se connecter").click()
    settle(page)
    page.wait_for_selector('[data-testid="stMetric"]')
    assert title(page) == "Risque budgétaire"  # the linked programme on the line beneath the title
    assert page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text().startswith("LT-PAIRS")
    assert "/budget?" in page.url and "as_of=2022-12-31" in page.url and "auth_error" not in page.url


def test_healthz_answers_200_then_503_once_the_database_is_gone(tmp_path):
    require_browser()  # a real server, like the browser tests
    db = tmp_path / "health.db"
    upgrade(make_engine(f"sqlite:///{db}"))
    server = Server(f"sqlite:///{db}", tmp_path / "streamlit.log")
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=10) as answer:
            assert answer.status == 200
        shutil.move(db, tmp_path / "moved.db")  # the disk or the volume is gone
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{server.url}/healthz", timeout=10)
        assert err.value.code == 503
    finally:
        server.stop()
