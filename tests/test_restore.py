"""`restore` replaces the live SQLite database only with a sound dashboard backup of the same
schema revision and table set, and keeps the database it replaces."""
from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from conftest import dump
from dashboard import auth
from dashboard import schema as s
from dashboard.__main__ import main
from dashboard.db import make_engine, upgrade
from dashboard.importer import import_workbook
from workbooks import good_workbook


@pytest.fixture
def live(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert import_workbook(engine, good_workbook()).ok
    auth.add_user(engine, "admin@test.invalid", "admin", "correct horse battery")
    yield url, engine
    engine.dispose()


def _copies(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir() if ".before-restore-" in p.name)


def _backup(tmp_path, url, name="copy.db"):
    assert main(["backup", str(tmp_path / name), "--db", url]) == 0
    return tmp_path / name


def test_a_foreign_file_with_a_programmes_table_is_refused_and_nothing_changes(live, tmp_path, capsys):
    url, engine = live
    before = dump(engine)
    foreign = tmp_path / "other_app.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE programmes (id INTEGER PRIMARY KEY, title TEXT)")
        conn.execute("INSERT INTO programmes (title) VALUES ('not ours')")
    conn.close()
    assert main(["restore", str(foreign), "--db", url]) == 1
    assert "schema revision none" in capsys.readouterr().err
    assert dump(engine) == before
    assert _copies(tmp_path) == []


def test_a_backup_of_another_schema_revision_is_refused(live, tmp_path, capsys):
    url, engine = live
    backup = _backup(tmp_path, url)
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0002'")
    conn.close()
    before = dump(engine)
    assert main(["restore", str(backup), "--db", url]) == 1
    err = capsys.readouterr().err
    from dashboard.backup import head_revision

    assert f"schema revision 0002, expected {head_revision()}" in err
    assert dump(engine) == before
    assert _copies(tmp_path) == []


@pytest.mark.parametrize("change, message", [
    ("DROP TABLE users", "missing tables: user_scopes, users"),
    ("CREATE TABLE extra (x)", "unknown tables: extra"),
])
def test_a_backup_without_exactly_our_tables_is_refused(live, tmp_path, capsys, change, message):
    url, engine = live
    backup = _backup(tmp_path, url)
    with sqlite3.connect(backup) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        if change.startswith("DROP"):
            conn.execute("DROP TABLE user_scopes")
        conn.execute(change)
    conn.close()
    before = dump(engine)
    assert main(["restore", str(backup), "--db", url]) == 1
    assert message in capsys.readouterr().err
    assert dump(engine) == before


def test_a_good_restore_keeps_the_replaced_database_beside_it(live, tmp_path, capsys):
    url, engine = live
    backup = _backup(tmp_path, url)
    auth.add_user(engine, "late@test.invalid", "conseil", "another long password")  # after the backup
    assert main(["restore", str(backup), "--db", url]) == 0
    out = capsys.readouterr().out
    copies = _copies(tmp_path)
    assert len(copies) == 1 and copies[0].startswith("live.db.before-restore-")
    assert str(tmp_path / copies[0]) in out

    def emails(db_url):
        eng = sa.create_engine(db_url)
        with eng.connect() as conn:
            found = sorted(conn.scalars(sa.select(s.users.c.email)))
        eng.dispose()
        return found

    assert emails(url) == ["admin@test.invalid"]
    assert emails(f"sqlite:///{tmp_path / copies[0]}") == ["admin@test.invalid", "late@test.invalid"]
