"""No traceback, SQL statement or server path ever reaches the browser: out-of-range dates in the
URL are refused with a message, database errors during sign-in become a sentence, and anything
else uncaught goes through dashboard.ui.errors.on_script_error."""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from apptest import ADMIN, APP, PASSWORD, database, sign_in_state
from dashboard.db import ROOT
from workbooks import good_workbook

#: good_workbook's latest dated fact (the measurement of 2022-06-30 ... the grant's end 2023-01-01
#: is not a fact): the default as-of date the page falls back to.
DEFAULT_AS_OF = dt.date(2022, 6, 30)


def _texts(at: AppTest) -> list[str]:
    """Every text the page shows (main area and sidebar), whatever the element."""
    out = []

    def walk(node):
        for attr in ("value", "body", "label", "message", "stack_trace"):
            value = getattr(node, attr, None)
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, list):
                out.extend(str(v) for v in value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "2023-02-30"])
def test_an_out_of_range_as_of_in_the_url_is_refused_with_a_message(tmp_path, monkeypatch, as_of):
    engine = database(tmp_path, monkeypatch, good_workbook())
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as_of"] = as_of
    at.query_params["lang"] = "en"
    sign_in_state(at, ADMIN)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    today = dt.date.today()
    assert [w.value for w in at.warning] == [
        f"The as-of date in the link is not accepted: it must lie between 1 Jan 1900 and today "
        f"({today.day} {today:%b} {today.year}). The programme's default date is shown."]
    assert at.text_input(key="as_of_text").value == DEFAULT_AS_OF.isoformat()
    assert at.query_params["as_of"] == DEFAULT_AS_OF.isoformat()
    at.run()  # the session goes on
    assert not at.exception


def test_a_database_locked_during_sign_in_shows_a_sentence_not_the_sql(tmp_path, monkeypatch):
    """The sign-in route (POST /auth/signin) while another process holds the write lock: it sends
    the browser back with a fixed error code, and the page shows a sentence, never the SQL."""
    from starlette.applications import Starlette
    from test_web import HOST, post_form

    from dashboard import web

    database(tmp_path, monkeypatch, good_workbook())
    web._engine.cache_clear()
    site = Starlette(routes=web.routes())
    blocker = sqlite3.connect(tmp_path / "app.db", timeout=0)
    blocker.execute("BEGIN IMMEDIATE")  # another process writing
    blocker.execute("UPDATE users SET email = email")
    try:
        status, headers = post_form(site, "/auth/signin", {"email": ADMIN, "password": PASSWORD + " wrong"},
                                    referer=f"http://{HOST}/budget?programme=P1")
    finally:
        blocker.rollback()
        blocker.close()
        web._engine.cache_clear()
    assert status == 303
    [location] = [v for k, v in headers if k == "location"]
    assert location == "/budget?programme=P1&auth_error=database"
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["programme"] = "P1"
    at.query_params["auth_error"] = "database"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(_texts(at))
    for leak in ("SELECT", "INSERT", "UPDATE", "[parameters", "[SQL", "sqlite3", str(tmp_path)):
        assert leak not in shown
    assert [e.value for e in at.error] == [
        "La base de données ne répond pas (—). Réessayez dans un instant ; si cela dure, prévenez l'administrateur."]


def _failing_page():
    import streamlit as st

    from dashboard.ui.errors import on_script_error

    st.session_state["lang"] = st.session_state.get("want_lang", "fr")
    try:
        open("/srv/secret/dashboard/config-that-does-not-exist.toml")
    except OSError as exc:
        st.session_state["suppressed"] = on_script_error(exc)


@pytest.mark.parametrize("lang, sentence", [
    ("fr", "Cette vue n'a pas pu s'afficher."), ("en", "This view could not be shown.")])
def test_the_error_handler_logs_the_traceback_and_shows_a_sentence(caplog, lang, sentence):
    at = AppTest.from_function(_failing_page)
    at.session_state["want_lang"] = lang
    with caplog.at_level(logging.ERROR, logger="dashboard.ui.errors"):
        at.run()
    assert at.session_state["suppressed"] is True
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(sentence)
    assert "/srv/secret" not in at.error[0].value
    record = next(r for r in caplog.records if r.name == "dashboard.ui.errors")
    assert record.exc_info and "config-that-does-not-exist" in str(record.exc_info[1])


def test_the_database_errors_of_the_handler_name_no_sql():
    import sqlalchemy as sa

    from dashboard.db import DatabaseFileGone, QueryError
    from dashboard.ui.errors import message_key

    locked = sa.exc.OperationalError("UPDATE users SET failed = ?", ("a@b.c",), sqlite3.OperationalError("locked"))
    assert message_key(locked) == ("error.database", {"query": "—"})
    assert message_key(QueryError("budget_lines", locked)) == ("error.database", {"query": "budget_lines"})
    assert message_key(DatabaseFileGone("/srv/x.db")) == ("error.db_file_gone", {})
    assert message_key(ValueError("/srv/x")) == ("error.unexpected", {})


def test_the_server_never_sends_exception_details_to_the_browser():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_the_served_app_routes_uncaught_errors_to_the_handler():
    """`streamlit run streamlit_app.py` serves the st.App the file defines: its on_script_error
    must be the handler (an uncaught exception is logged, the user reads a sentence)."""
    import importlib.util

    from dashboard.db import ROOT
    from dashboard.ui.errors import on_script_error

    spec = importlib.util.spec_from_file_location("streamlit_app_module", ROOT / "streamlit_app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.app._on_script_error is on_script_error


def test_a_stray_expression_in_a_script_is_never_drawn():
    """Streamlit's "magic" would draw a bare expression (a frame of rows left in a script while
    debugging): off in .streamlit/config.toml, so only explicit st calls reach the browser."""
    from streamlit.testing.v1 import AppTest

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False
    at = AppTest.from_string("import pandas as pd\n'stray text'\npd.DataFrame({'email': ['a@b.c']})\n").run()
    assert not at.exception
    assert not at.markdown and not at.dataframe and not at.text
