"""Values that parse but are absurd (1e308, year 9999, year 1) are refused at import with their
sheet and row, and `kpis` never prints non-JSON (Infinity, NaN)."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import dump
from dashboard.__main__ import main
from dashboard.importer import import_workbook
from dashboard.workbook_io import write_csv_folder
from workbooks import good_workbook


def _errors(report):
    return [(e["sheet"], e["row"], e["column"], e["message"]) for e in report.error_rows("en")]


def test_huge_amounts_are_refused_with_sheet_and_row_and_nothing_is_written(engine):
    assert import_workbook(engine, good_workbook()).ok
    before = dump(engine)
    wb = good_workbook()
    wb["expenditures"][1]["amount"] = 1e308  # GNF, row 3
    wb["expenditures"][0]["amount"] = -2e12  # EUR: a correction still counts by its size, row 2
    wb["budget_lines"][1]["amount"] = 9.1e15  # GNF at 9000 per EUR (January 2022): 1.0111e12 EUR, row 3
    wb["targets"][0]["target"] = 1e308  # row 2
    report = import_workbook(engine, wb)
    assert not report.ok
    assert _errors(report) == [
        ("targets", 2, "target", "value too large: 1e+12 at most (in absolute value)"),
        ("budget_lines", 3, "amount", "amount too large: 1e+12 EUR at most after conversion (found 1.01111e+12 EUR)"),
        ("expenditures", 2, "amount", "amount too large: 1e+12 EUR at most after conversion (found 2e+12 EUR)"),
        ("expenditures", 3, "amount", "amount too large: 1e+12 EUR at most after conversion (found 1e+304 EUR)"),
    ]
    after = dump(engine)
    assert after.pop("audit_log")[-1][3] == "import_rejected"
    before.pop("audit_log")
    assert after == before


def test_an_amount_just_under_the_bound_is_accepted(engine):
    wb = good_workbook()
    wb["budget_lines"][1]["amount"] = 8.9e15  # GNF at 9000: 9.89e11 EUR
    assert import_workbook(engine, wb).ok


def test_the_amount_bound_is_a_setting(engine, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_AMOUNT_EUR", "1000")
    report = import_workbook(engine, good_workbook())
    # grant G1 1500.5 EUR, expenditure E1 1234.56 EUR; the XOF line is exactly 1000 EUR (allowed);
    # the GNF line: 9 000 000 / 9000 = 1000 EUR (allowed); E2 1 000 000 GNF / 10000 = 100 EUR
    assert [(s, r, c) for s, r, c, _ in _errors(report)] == [
        ("grants", 2, "amount"), ("expenditures", 2, "amount")]


def test_dates_outside_1900_2100_are_refused_with_sheet_and_row(engine):
    wb = good_workbook()
    wb["expenditures"][0]["date"] = dt.date(9999, 12, 31)
    wb["expenditures"][2]["date"] = dt.date(1, 1, 1)
    wb["fx_rates"][1]["month"] = "9999-04"
    wb["programmes"][0]["end_date"] = dt.date(2101, 1, 1)
    report = import_workbook(engine, wb)
    message = "date outside the accepted range (1900–2100)"
    assert _errors(report) == [
        ("programmes", 2, "end_date", message),
        ("expenditures", 2, "date", message),
        ("expenditures", 4, "date", message),
        ("fx_rates", 3, "month", message),
    ]
    wb = good_workbook()
    wb["programmes"][0]["start_date"] = dt.date(1900, 1, 1)
    wb["programmes"][0]["end_date"] = dt.date(2100, 12, 31)
    assert import_workbook(engine, wb, dry_run=True).ok  # the limits themselves are inside


@pytest.mark.parametrize("dialect", ["plain", "french"])
def test_csv_files_get_the_same_bounds(tmp_path, sqlite_engine, dialect):
    folder = tmp_path / "wb"
    write_csv_folder(good_workbook(), folder, dialect)
    path = folder / "expenditures.csv"
    encoding = "utf-8" if dialect == "plain" else "cp1252"
    text = path.read_text(encoding=encoding).splitlines()
    sep = "," if dialect == "plain" else ";"
    cells = text[1].split(sep)
    cells[3] = "9999-12-31" if dialect == "plain" else "31/12/9999"  # date of E1
    text[1] = sep.join(cells)
    cells = text[3].split(sep)
    cells[4] = "1" + "0" * 300  # 1e300 EUR written out: E3
    text[3] = sep.join(cells)
    path.write_text("\n".join(text) + "\n", encoding=encoding)
    report = import_workbook(sqlite_engine, folder)
    assert [(s, r, c) for s, r, c, _ in _errors(report)] == [
        ("expenditures", 2, "date"), ("expenditures", 4, "amount")]


def test_kpis_never_prints_infinity(tmp_path, capsys, monkeypatch):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    folder = tmp_path / "wb"
    write_csv_folder(good_workbook(), folder)
    assert main(["import", str(folder), "--db", db]) == 0
    from dashboard import kpis

    real = kpis.compute_kpis
    monkeypatch.setattr(kpis, "compute_kpis", lambda *a, **k: {**real(*a, **k), "spent_eur": float("inf")})
    capsys.readouterr()
    assert main(["kpis", "--programme", "P1", "--db", db]) == 1
    out = capsys.readouterr()
    assert "Infinity" not in out.out and out.out == ""
    assert "not a finite number" in out.err
