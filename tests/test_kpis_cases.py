"""The engine (SQL + metric functions) against the hand-computed cases of tests/cases.py, on
SQLite and PostgreSQL. Each case's workbook goes through the real importer first."""
import pytest

from cases import ABSENT, CASES, lookup
from dashboard.importer import import_workbook
from dashboard.kpis import compute_kpis


def _check(kpis, path, expected):
    if expected == ABSENT:
        with pytest.raises(KeyError):
            lookup(kpis, path)
        return
    got = lookup(kpis, path)
    if isinstance(expected, float) or (isinstance(expected, int) and not isinstance(expected, bool)):
        assert got == pytest.approx(expected, abs=1e-9), path
    else:
        assert got == expected, path


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_engine_matches_hand_computed_case(engine, case):
    report = import_workbook(engine, case["sheets"])
    assert report.ok, report.render("en")
    with engine.connect() as conn:
        kpis = compute_kpis(conn, case["programme"], case["as_of"], case["countries"], today=case["today"])
    for path, expected in case["expect"].items():
        _check(kpis, path, expected)
