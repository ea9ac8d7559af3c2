"""The SQLite file deleted (or replaced) while the app runs: writes are refused with a message
instead of going into a file nobody will read again."""
from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import auth, editing
from dashboard.db import make_engine, upgrade
from dashboard.importer import import_workbook
from workbooks import good_workbook

ADMIN = auth.Scope(1, "admin@forim.test", "admin", None, None)


@pytest.fixture
def live(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    upgrade(engine)
    assert import_workbook(engine, good_workbook()).ok
    yield engine, tmp_path / "live.db"
    engine.dispose()


def _edit(value):
    return editing.Edit({"programme_code": "P1", "indicator_code": "I1", "country_iso3": "SEN",
                         "period_end": dt.date(2022, 6, 30), "value": value, "source": "rapport", "comment": None}, 1)


def test_a_write_after_the_file_was_deleted_is_refused(live):
    engine, path = live
    assert editing.save(engine, ADMIN, "measurements", [_edit(5)]).ok  # the first write works
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    with pytest.raises(sa.exc.SQLAlchemyError, match="deleted or replaced"):
        editing.save(engine, ADMIN, "measurements", [_edit(6)])
    wb = good_workbook()
    wb["expenditures"][0]["amount"] = 1
    with pytest.raises(sa.exc.SQLAlchemyError, match="deleted or replaced"):
        import_workbook(engine, wb)


def test_a_write_after_the_file_was_replaced_is_refused(live, tmp_path):
    engine, path = live
    shutil.copy(path, tmp_path / "other.db")
    os.replace(tmp_path / "other.db", path)  # same content, another file
    with pytest.raises(sa.exc.SQLAlchemyError, match="deleted or replaced"):
        editing.save(engine, ADMIN, "measurements", [_edit(6)])


def _page():
    from dashboard.db import DatabaseFileGone
    from dashboard.ui import widgets as w

    with w.friendly_errors("en"):
        raise DatabaseFileGone("/srv/data/dashboard.db")


def test_pages_say_so_in_a_sentence():
    at = AppTest.from_function(_page).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The database file was deleted or replaced while the application was running: nothing was saved. "
        "Tell the administrator (restore the database, then restart the application)."]
