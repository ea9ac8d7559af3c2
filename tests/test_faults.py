"""Faults: a database that does not answer, an import that fails half-way, backup and restore."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import dump
from dashboard import schema as s
from dashboard.__main__ import main
from dashboard.importer import import_workbook
from dashboard.importer import write as write_module
from apptest import APP
from workbooks import good_workbook


def test_an_unreachable_database_gives_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", "postgresql+psycopg://nobody:nothing@127.0.0.1:1/none?connect_timeout=2")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "La base de données ne répond pas (—). Réessayez dans un instant ; si cela dure, prévenez l'administrateur."]
    st.cache_resource.clear()


def test_an_import_that_fails_half_way_leaves_the_database_as_it_was(engine, monkeypatch):
    assert import_workbook(engine, good_workbook()).ok
    before = dump(engine)
    wb = good_workbook()
    wb["expenditures"][0]["amount"] = 99999
    wb["sessions"][0]["title"] = "Changed"
    calls = []
    real_refresh = write_module.refresh_eur

    def crash(conn, currencies):  # runs after every sheet has been written, inside the transaction
        calls.append(currencies)
        raise RuntimeError("power cut")

    monkeypatch.setattr(write_module, "refresh_eur", crash)
    wb["fx_rates"][0]["per_eur"] = 9500  # forces the refresh step
    with pytest.raises(RuntimeError):
        import_workbook(engine, wb)
    assert calls  # it did get half-way
    monkeypatch.setattr(write_module, "refresh_eur", real_refresh)
    assert dump(engine) == before


def test_backup_then_restore_gives_back_the_same_figures(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'live.db'}"
    folder = tmp_path / "wb"
    from dashboard.workbook_io import write_csv_folder

    write_csv_folder(good_workbook(), folder)
    assert main(["import", str(folder), "--db", db]) == 0
    assert main(["kpis", "--programme", "P1", "--as-of", "2022-12-31", "--db", db]) == 0
    capsys.readouterr()
    assert main(["backup", str(tmp_path / "copy.db"), "--db", db]) == 0
    assert main(["kpis", "--programme", "P1", "--as-of", "2022-12-31", "--db", db]) == 0
    original = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    # damage the live database, then restore the backup
    engine = sa.create_engine(db)
    with engine.begin() as conn:
        conn.execute(s.expenditures.delete())
    assert main(["restore", str(tmp_path / "copy.db"), "--db", db]) == 0
    capsys.readouterr()
    assert main(["kpis", "--programme", "P1", "--as-of", "2022-12-31", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out) == original
    assert main(["backup", str(tmp_path / "copy.db"), "--db", db]) == 1  # never overwrites
    (tmp_path / "junk.db").write_bytes(b"junk")
    assert main(["restore", str(tmp_path / "junk.db"), "--db", db]) == 1


def test_postgresql_going_away_mid_session_gives_a_message_and_the_app_recovers(monkeypatch):
    """A real fault on the real server: the test database stops accepting connections (its open
    ones are terminated) while a session is open, then comes back."""
    import os

    from apptest import ADMIN, PASSWORD, open_page
    from dashboard import auth
    from dashboard.db import make_engine, upgrade

    admin_url = os.environ.get("DASHBOARD_TEST_PG_URL")
    if not admin_url:
        if os.environ.get("DASHBOARD_REQUIRE_PG") == "1":
            pytest.fail("DASHBOARD_REQUIRE_PG=1 but DASHBOARD_TEST_PG_URL is not set")
        pytest.skip("PostgreSQL not configured (set DASHBOARD_TEST_PG_URL)")
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS dashboard_fault_test WITH (FORCE)")
        conn.exec_driver_sql("CREATE DATABASE dashboard_fault_test")
    url = admin.url.set(database="dashboard_fault_test").render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    assert import_workbook(engine, good_workbook()).ok
    auth.add_user(engine, ADMIN, "admin", PASSWORD)
    engine.dispose()
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = open_page(None)
        assert at.metric[0].value == "65\u00a0%"
        with admin.connect() as conn:  # the database goes away
            conn.exec_driver_sql("ALTER DATABASE dashboard_fault_test ALLOW_CONNECTIONS false")
            conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = 'dashboard_fault_test' AND pid <> pg_backend_pid()")
        st.cache_data.clear()
        at.run()
        assert not at.exception
        assert at.error and at.error[0].value.startswith("La base de données ne répond pas")
        with admin.connect() as conn:  # and comes back
            conn.exec_driver_sql("ALTER DATABASE dashboard_fault_test ALLOW_CONNECTIONS true")
        at.run()
        assert not at.exception and not at.error
        assert at.metric[0].value == "65\u00a0%"
    finally:
        st.cache_resource.clear()
        with admin.connect() as conn:
            conn.exec_driver_sql("ALTER DATABASE dashboard_fault_test ALLOW_CONNECTIONS true")
            conn.exec_driver_sql("DROP DATABASE IF EXISTS dashboard_fault_test WITH (FORCE)")


def test_a_busy_sqlite_database_makes_an_import_wait_then_fail_cleanly(tmp_path, capsys):
    import sqlite3

    from dashboard.workbook_io import write_csv_folder

    db = tmp_path / "busy.db"
    write_csv_folder(good_workbook(), tmp_path / "wb")
    assert main(["import", str(tmp_path / "wb"), "--db", f"sqlite:///{db}"]) == 0
    before = sa.create_engine(f"sqlite:///{db}")
    rows_before = dump(before)
    blocker = sqlite3.connect(db, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")  # another process is writing
    try:
        wb = good_workbook()
        wb["expenditures"][0]["amount"] = 1
        write_csv_folder(wb, tmp_path / "wb2")
        assert main(["import", str(tmp_path / "wb2"), "--db", f"sqlite:///{db}"]) == 1
        assert "database error" in capsys.readouterr().err  # after the 5 s busy timeout, a message
    finally:
        blocker.rollback()
        blocker.close()
    assert dump(before) == rows_before  # nothing half-written
    assert main(["import", str(tmp_path / "wb2"), "--db", f"sqlite:///{db}"]) == 0  # and it works once free
