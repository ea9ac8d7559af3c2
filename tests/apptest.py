"""Helpers to run the app in Streamlit's AppTest against a database of the test's choosing,
signed in as a given account."""
from __future__ import annotations

import datetime as dt

import streamlit as st
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.db import ROOT, make_engine, upgrade
from dashboard.importer import import_workbook
from dashboard.schema import users
from dashboard.ui.pages import PAGES

APP = str(ROOT / "streamlit_app.py")
ADMIN = "admin@test.invalid"
#: Indicator statuses as the French UI writes them.
STATUS_FR = {"ahead": "en avance", "on_track": "dans les temps", "behind": "en retard",
             "not_due": "pas encore dû", "non_reporting": "non renseigné"}
PASSWORD = "correct horse battery"


def database(tmp_path, monkeypatch, *workbooks, name="app.db"):
    """A fresh SQLite database with ``workbooks`` imported and an admin account, used by the app
    through DASHBOARD_DB_URL."""
    url = f"sqlite:///{tmp_path / name}"
    engine = make_engine(url)
    upgrade(engine)
    for wb in workbooks:
        report = import_workbook(engine, wb)
        assert report.ok, report.render("en")
    auth.add_user(engine, ADMIN, "admin", PASSWORD)
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    from dashboard.ui.data import prefetches_done

    assert prefetches_done(), "a prefetch of an earlier test still runs"
    st.cache_data.clear()
    st.cache_resource.clear()
    return engine


def user_id(engine, email: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.select(users.c.id).where(users.c.email == email))


def sign_in_state(at: AppTest, email: str) -> str:
    """Sign ``email`` in for this AppTest session as the sign-in route would: a server-side session
    whose token the app reads (AppTest has no cookies: the token goes in session state)."""
    engine = make_engine()
    token = auth.create_session(engine, user_id(engine, email))
    at.session_state["session_token"] = token
    return token


def open_page(page: str | None = None, as_user: str | None = ADMIN, maps: bool = True, **query) -> AppTest:
    """Run the app signed in as ``as_user`` (as the sign-in page would leave the session) with
    ``query`` parameters, then switch to ``pages/<page>.py``; no exception or error allowed.
    ``maps``: the session has asked to see maps (drawn on request only: widgets.deck), so that
    the tests read every map; ``maps=False`` is a session that has not."""
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    if as_user:
        sign_in_state(at, as_user)
    if maps:
        at.session_state["maps_shown"] = True
    at.run()
    if page:
        at.switch_page(PAGES[page][0])
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def page_as_of(conn, programme: str, as_of: str | None = None) -> dt.date:
    """The as-of date a page uses: ``as_of`` when given, else the pages' default (docs/METRICS.md,
    Precision 1): the ``kpis`` default, capped at the programme's end."""
    from dashboard.kpis import default_as_of, get_programme

    if as_of:
        return dt.date.fromisoformat(as_of)
    return min(default_as_of(conn, programme), get_programme(conn, programme).end)
