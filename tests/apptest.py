"""Helpers to run the app in Streamlit's AppTest against a database of the test's choosing."""
from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.db import ROOT, make_engine, upgrade
from dashboard.importer import import_workbook

APP = str(ROOT / "streamlit_app.py")


def database(tmp_path, monkeypatch, *workbooks, name="app.db"):
    """A fresh SQLite database with ``workbooks`` imported, used by the app (DASHBOARD_DB_URL)."""
    url = f"sqlite:///{tmp_path / name}"
    engine = make_engine(url)
    upgrade(engine)
    for wb in workbooks:
        report = import_workbook(engine, wb)
        assert report.ok, report.render("en")
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    return engine


def open_page(page: str | None = None, **query) -> AppTest:
    """Run the app with ``query`` parameters, then switch to ``views/<page>.py``; no exception allowed."""
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
