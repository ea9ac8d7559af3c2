"""db.query on one connection: the same query with the same parameters, asked again with nothing
else run in between, answers from the first result (a copy); any other statement, a commit or a
rollback on that connection, or another connection, runs it again."""
import collections
import datetime as dt

import pytest

from dashboard import db
from dashboard.db import query
from dashboard.importer import import_workbook
from workbooks import good_workbook

PARAMS = dict(programme="P1", as_of=dt.date(2022, 12, 31), all_countries=1, countries=[])


@pytest.fixture(autouse=True)
def query_times(monkeypatch):
    """An empty, unbounded QUERY_TIMES for each test (the shared one stops growing at 1000)."""
    monkeypatch.setattr(db, "QUERY_TIMES", collections.deque())


def runs(conn, name="budget_lines_spent", **params):
    """How many statements query() sent to the database for this call (0 = answered from memory)."""
    before = len(db.QUERY_TIMES)
    frame = query(conn, name, **(params or PARAMS))
    return len(db.QUERY_TIMES) - before, frame


def test_a_repeated_query_is_answered_once_per_connection_until_anything_else_runs(engine):
    assert import_workbook(engine, good_workbook()).ok
    with engine.connect() as conn:
        first = runs(conn)
        again = runs(conn)
        assert (first[0], again[0]) == (1, 0) and first[1].equals(again[1])
        again[1]["spent_eur"] = -1.0  # callers may change what they get: the memory keeps its own copy
        assert runs(conn)[1].equals(first[1])
        assert runs(conn, **{**PARAMS, "as_of": dt.date(2022, 6, 30)})[0] == 1  # other parameters
        conn.exec_driver_sql("UPDATE expenditures SET amount_eur = amount_eur * 2")  # any other statement
        changed = runs(conn)
        assert changed[0] == 1 and not changed[1].equals(first[1])
        conn.rollback()  # forgets too: the update is gone, and so is its answer
        after = runs(conn)
        assert after[0] == 1 and after[1].equals(first[1])
    with engine.connect() as other:
        assert runs(other)[0] == 1


def test_an_engine_never_remembers(engine):
    assert import_workbook(engine, good_workbook()).ok
    assert runs(engine)[0] == 1 and runs(engine)[0] == 1


def _records_cell_by_cell(frame):
    """``records`` as it was: ``to_dict("records")`` and a missing-value test per cell (the oracle)."""
    import pandas as pd

    def missing(value):
        try:
            return bool(pd.isna(value))
        except (TypeError, ValueError):
            return False
    return [{k: (None if missing(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def test_records_equal_the_cell_by_cell_form_for_every_kind_of_column():
    import datetime as dt
    from decimal import Decimal

    import numpy as np
    import pandas as pd

    from dashboard.db import records

    frame = pd.DataFrame({
        "n": [1, 2, 3], "x": [1.5, np.nan, -0.0], "s": ["a", None, "c"], "d": [dt.date(2020, 1, 1), None, dt.date(2021, 5, 2)],
        "t": pd.to_datetime(["2020-01-01", None, "2021-01-01"]), "m": [Decimal("1.10"), None, Decimal("NaN")],
        "b": [True, False, None], "o": [[1], {"k": 1}, None], "i": pd.array([1, None, 3], dtype="Int64"),
    })
    got, expected = records(frame), _records_cell_by_cell(frame)
    assert got == expected
    assert [type(v) for v in got[0].values()] == [type(v) for v in expected[0].values()]
    assert got[1] == {"n": 2, "x": None, "s": None, "d": None, "t": None, "m": None, "b": False, "o": {"k": 1}, "i": None}
    assert records(frame.iloc[0:0]) == []
