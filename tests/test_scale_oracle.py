"""The engine against the independent oracle (tests/oracle.py) on a generated scale workbook
(dashboard.demo.build_scale, the benchmark's data at a small size), imported from CSV through the
importer's fast paths: a sample of programmes, as-of dates and country filters, every field to 1e-6."""
from __future__ import annotations

import datetime as dt

import pytest

import oracle
from dashboard.demo import build_scale
from dashboard.importer import import_workbook
from dashboard.kpis import compute_kpis
from dashboard.workbook_io import write_csv_folder
from test_kpis_oracle import TODAY, assert_same


@pytest.fixture(scope="module")
def scale():
    return build_scale(3000, programmes=10)


def test_a_scale_workbook_gives_the_oracle_figures(engine, scale, tmp_path):
    folder = tmp_path / "scale"
    write_csv_folder(scale, folder)
    report = import_workbook(engine, folder)
    assert report.ok, report.render("en")
    assert report.counts["expenditures"]["inserted"] == 3000
    with engine.connect() as conn:
        for programme in ("SC-01", "SC-04", "SC-10"):
            for as_of in (None, dt.date(2023, 6, 30)):
                assert_same(compute_kpis(conn, programme, as_of, today=TODAY),
                            oracle.compute_kpis(scale, programme, as_of, today=TODAY))
            some = sorted({row["country_iso3"] for sheet in ("budget_lines", "sessions") for row in scale[sheet]
                           if row["programme_code"] == programme and row["country_iso3"]})[:1]
            assert some
            assert_same(compute_kpis(conn, programme, dt.date(2024, 3, 31), some, today=TODAY),
                        oracle.compute_kpis(scale, programme, dt.date(2024, 3, 31), some, today=TODAY))
