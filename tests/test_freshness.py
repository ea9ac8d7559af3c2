"""Never stale: every write of data bumps the database's data version in its own transaction, and
every cached figure is keyed by it, so a write by another process (the command line, another app
server) shows at the next rerun of an open page (issue: "No stale figures, ever").

The workbook is ``good_workbook`` (tests/workbooks.py): spent as of 2022-12-31 is 1 234.56 EUR
+ 1 000 000 GNF at 10 000 GNF/EUR (April 2022) - 34.56 EUR = 1 300.00 EUR. The new expenditure
below adds 200 EUR: 1 500.00 EUR.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import streamlit as st

from apptest import ADMIN, PASSWORD, database, metrics, open_page
from conftest import _fresh_postgres
from dashboard import auth, editing
from dashboard.backup import backup, restore
from dashboard.db import ROOT, make_engine, read_data_version, upgrade
from dashboard.i18n import fmt_money
from dashboard.importer import import_workbook
from dashboard.workbook_io import write_csv_folder
from workbooks import good_workbook

NEW_EXPENDITURE = {"expenditures": [{"programme_code": "P1", "reference": "E4", "budget_line_code": "L1",
                                     "date": dt.date(2022, 5, 10), "amount": 200, "currency": "EUR"}]}
PAGE = {"programme": "P1", "as_of": "2022-12-31"}


def _spent(at) -> str:
    return metrics(at)["Dépensé"]


def test_a_command_line_import_shows_at_the_next_rerun_of_an_open_page(tmp_path, monkeypatch):
    engine = database(tmp_path, monkeypatch, good_workbook())
    at = open_page("budget", **PAGE)
    assert _spent(at) == fmt_money(1300.0, "fr")
    at.run()  # the cache is warm: the same figure, from the cache
    assert _spent(at) == fmt_money(1300.0, "fr")

    folder = tmp_path / "new"
    write_csv_folder(NEW_EXPENDITURE, folder)
    done = subprocess.run([sys.executable, "-m", "dashboard", "import", str(folder), "--db", str(engine.url)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr

    at.run()  # another process wrote: the next rerun shows it, not the 10-minute-old figure
    assert not at.exception
    assert _spent(at) == fmt_money(1500.0, "fr")


def test_two_app_servers_on_one_postgresql_database_see_each_others_writes(tmp_path, monkeypatch):
    """The app (AppTest, its own engine) and a second server's engine on the same database: an
    in-app edit through the second engine shows at the first one's next rerun."""
    pg = _fresh_postgres()
    upgrade(pg)
    assert import_workbook(pg, good_workbook()).ok
    auth.add_user(pg, ADMIN, "admin", PASSWORD)
    monkeypatch.setenv("DASHBOARD_DB_URL", pg.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_page("budget", **PAGE)
    assert _spent(at) == fmt_money(1300.0, "fr")

    other_server = make_engine(pg.url.render_as_string(hide_password=False))
    assert import_workbook(other_server, NEW_EXPENDITURE, actor="other-server").ok
    other_server.dispose()

    at.run()
    assert _spent(at) == fmt_money(1500.0, "fr")
    pg.dispose()


def _version(engine) -> int:
    return read_data_version(engine)


def test_every_write_of_data_bumps_the_version_and_nothing_else_does(engine):
    v = _version(engine)
    assert import_workbook(engine, good_workbook()).ok
    assert _version(engine) == v + 1
    assert import_workbook(engine, good_workbook(), dry_run=True).ok  # a dry run writes nothing
    assert _version(engine) == v + 1
    assert import_workbook(engine, good_workbook()).ok  # the same workbook again changes nothing
    assert _version(engine) == v + 1
    bad = {"expenditures": [{**NEW_EXPENDITURE["expenditures"][0], "budget_line_code": "NOPE"}]}
    assert not import_workbook(engine, bad).ok  # rejected: only its audit row is written
    assert _version(engine) == v + 1

    auth.add_user(engine, "m@test.invalid", "manager", PASSWORD, programmes=["P1"])
    assert _version(engine) == v + 2
    auth.update_user(engine, "m@test.invalid", "manager", programmes=["P1"], countries=["SEN"])
    assert _version(engine) == v + 3
    auth.set_active(engine, "m@test.invalid", False)
    assert _version(engine) == v + 4
    auth.set_password(engine, "m@test.invalid", "another long password")
    assert _version(engine) == v + 5
    auth.authenticate(engine, "m@test.invalid", "wrong", demo_mode=False)  # throttling is not data
    assert _version(engine) == v + 5

    admin = auth.load_scope(engine, auth.add_user(engine, "a@test.invalid", "admin", PASSWORD))
    assert _version(engine) == v + 6
    measurement = editing.Edit({"programme_code": "P1", "indicator_code": "I1", "country_iso3": "SEN",
                                "period_end": dt.date(2022, 12, 31), "value": 7, "source": "rapport"}, None)
    assert editing.save(engine, admin, "measurements", [measurement]).ok
    assert _version(engine) == v + 7
    assert not editing.save(engine, admin, "measurements", [measurement]).ok  # a conflict writes nothing
    assert _version(engine) == v + 7


def test_a_restore_moves_the_version_past_both_databases(sqlite_engine, tmp_path):
    """A backup carries the older version number: after the restore the version must be newer
    than any version seen before it, or a cache could answer for the restored data."""
    assert import_workbook(sqlite_engine, good_workbook()).ok
    copy = backup(sqlite_engine, tmp_path / "copy.db")
    before_restore = _version(sqlite_engine)
    for _ in range(3):
        auth.add_user(sqlite_engine, f"u{_}@test.invalid", "conseil", PASSWORD)
    assert _version(sqlite_engine) == before_restore + 3
    restore(sqlite_engine, copy)
    assert _version(sqlite_engine) == before_restore + 4
