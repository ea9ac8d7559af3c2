"""Issue #11.1 as reported, through the APIs people use: the embedded default database started
for the first time (demo loaded), then a real programme imported and a real admin added from the
command line. The demo accounts must be gone from the sign-in page and must not sign in."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from apptest import APP
from dashboard import auth
from dashboard import schema as s
from dashboard.__main__ import main
from dashboard.bootstrap import ensure_database
from dashboard.db import make_engine

PASSWORD = "correct horse battery"
ADMIN = auth.DEMO_ACCOUNTS[0]  # admin@demo.invalid / demo-admin-2026


@pytest.fixture
def embedded(tmp_path, monkeypatch):
    """A temporary file standing for data/dashboard.db, started as `make run` starts it."""
    path = tmp_path / "dashboard.db"
    monkeypatch.setattr("dashboard.db.DEFAULT_SQLITE_PATH", path)
    monkeypatch.setattr("dashboard.bootstrap.DEFAULT_SQLITE_PATH", path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    engine = make_engine(url)
    ensure_database(engine)  # first start: schema and demo
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url, engine
    engine.dispose()


def demo_listed(at) -> list[str]:
    return [row["Adresse e-mail"] for table in at.table for row in table.value.to_dict("records")]


def test_demo_accounts_end_when_a_real_programme_and_a_real_admin_arrive(embedded, tmp_path, monkeypatch, capsys):
    url, engine = embedded
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert sorted(demo_listed(at)) == sorted(a["email"] for a in auth.DEMO_ACCOUNTS)  # demo mode

    folder = tmp_path / "real"
    folder.mkdir()
    (folder / "programmes.csv").write_text("code,name,start_date,end_date\nREAL-1,Programme réel,2025-01-01,"
                                           "2026-12-31\n", encoding="utf-8")
    assert main(["import", str(folder), "--db", url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "amina@forim.test", "--role", "admin", "--db", url]) == 0

    at.run()  # the app keeps running: its next run
    assert at.title[0].value == "Connexion"
    assert demo_listed(at) == [] and not at.table
    # what the sign-in route (POST /auth/signin) asks: the listed password is refused
    refused = auth.authenticate(engine, ADMIN["email"], ADMIN["password"], demo_mode=True)
    assert refused.user_id is None and refused.key == "auth.bad_credentials"
    with engine.connect() as conn:  # deleted, not only refused
        assert list(conn.scalars(sa.select(s.users.c.email))) == ["amina@forim.test"]


def test_load_demo_on_the_embedded_file_holding_real_data_creates_no_demo_account(tmp_path, monkeypatch, capsys):
    path = tmp_path / "dashboard.db"
    monkeypatch.setattr("dashboard.db.DEFAULT_SQLITE_PATH", path)
    monkeypatch.setattr("dashboard.bootstrap.DEFAULT_SQLITE_PATH", path)
    url = f"sqlite:///{path}"
    folder = tmp_path / "real"
    folder.mkdir()
    (folder / "programmes.csv").write_text("code,name,start_date,end_date\nREAL-1,Programme réel,2025-01-01,"
                                           "2026-12-31\n", encoding="utf-8")
    assert main(["import", str(folder), "--db", url]) == 0
    assert main(["load-demo", "--db", url]) == 0
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(s.users).where(s.users.c.is_demo.is_(True))) == 0
    assert auth.authenticate(engine, ADMIN["email"], ADMIN["password"], True).user_id is None
    engine.dispose()
