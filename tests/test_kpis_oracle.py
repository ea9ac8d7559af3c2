"""The engine against the independent oracle (tests/oracle.py, plain Python from METRICS.md) on
a programme the engine was not written against (tests/fixtures/unseen.py) and on the demo: every
field of the ``kpis`` object to 1e-6, on SQLite and PostgreSQL, from rows, French CSV and xlsx."""
from __future__ import annotations

import datetime as dt
import math

import pytest

import oracle
from dashboard.db import make_engine, upgrade
from dashboard.importer import import_workbook
from dashboard.kpis import compute_kpis
from dashboard.workbook_io import write_csv_folder, write_xlsx
from fixtures.unseen import AS_OF_DATES, build_unseen

TODAY = dt.date(2026, 11, 23)


def assert_same(engine_value, oracle_value, path="kpis"):
    """Recursive comparison: same keys, same list lengths, numbers within 1e-6."""
    if isinstance(oracle_value, dict):
        assert isinstance(engine_value, dict), path
        assert sorted(engine_value) == sorted(oracle_value), f"{path}: keys differ"
        for key in oracle_value:
            assert_same(engine_value[key], oracle_value[key], f"{path}.{key}")
    elif isinstance(oracle_value, list):
        assert isinstance(engine_value, list) and len(engine_value) == len(oracle_value), f"{path}: lengths differ"
        for i, (a, b) in enumerate(zip(engine_value, oracle_value)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(oracle_value, float) or (isinstance(oracle_value, int) and not isinstance(oracle_value, bool)):
        assert isinstance(engine_value, (int, float)) and not isinstance(engine_value, bool), path
        assert math.isclose(engine_value, oracle_value, rel_tol=0, abs_tol=1e-6), (path, engine_value, oracle_value)
    else:
        assert engine_value == oracle_value, (path, engine_value, oracle_value)


@pytest.fixture(scope="module")
def unseen():
    return build_unseen()


@pytest.fixture(scope="module")
def demo():
    from dashboard.demo import build_demo

    return build_demo()


def test_unseen_programme_matches_the_oracle_at_every_date(engine, unseen):
    report = import_workbook(engine, unseen)
    assert report.ok, report.render("en")
    with engine.connect() as conn:
        for as_of in (None, *AS_OF_DATES):
            expected = oracle.compute_kpis(unseen, "UNSEEN-X", as_of, today=TODAY)
            assert_same(compute_kpis(conn, "UNSEEN-X", as_of, today=TODAY), expected)


def test_unseen_programme_with_a_country_filter_matches_the_oracle(engine, unseen):
    assert import_workbook(engine, unseen).ok
    with engine.connect() as conn:
        for countries in (["BEN"], ["HTI", "TCD"]):
            for as_of in AS_OF_DATES[1::2]:
                expected = oracle.compute_kpis(unseen, "UNSEEN-X", as_of, countries, today=TODAY)
                assert_same(compute_kpis(conn, "UNSEEN-X", as_of, countries, today=TODAY), expected)


@pytest.mark.parametrize("form", ["french_csv", "xlsx"])
def test_unseen_programme_from_files_matches_the_oracle(tmp_path, unseen, form):
    if form == "french_csv":
        source = tmp_path / "csv"
        write_csv_folder(unseen, source, dialect="french")
    else:
        source = tmp_path / "unseen.xlsx"
        write_xlsx(unseen, source)
    eng = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    upgrade(eng)
    report = import_workbook(eng, source)
    assert report.ok, report.render("en")
    with eng.connect() as conn:
        for as_of in AS_OF_DATES:
            assert_same(compute_kpis(conn, "UNSEEN-X", as_of, today=TODAY),
                        oracle.compute_kpis(unseen, "UNSEEN-X", as_of, today=TODAY))


def test_demo_programmes_match_the_oracle(engine, demo):
    report = import_workbook(engine, demo)
    assert report.ok, report.render("en")
    with engine.connect() as conn:
        for programme in sorted({p["code"] for p in demo["programmes"]}):
            for as_of in (None, dt.date(2022, 3, 31), dt.date(2022, 12, 31), dt.date(2025, 6, 30)):
                assert_same(compute_kpis(conn, programme, as_of, today=TODAY),
                            oracle.compute_kpis(demo, programme, as_of, today=TODAY))
