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
