"""The importer's fast paths for large workbooks (column-wise parsing, the reader without quotes,
bulk inserts, columnar rows) give exactly what the cell-by-cell code gives: same values, same
errors, same rows in the database."""
from __future__ import annotations

import csv
import datetime as dt
import gc
import io

import pytest

from conftest import assert_same_data, dump, empty_tables
from dashboard.demo import build_scale
from dashboard.importer import gc_paused, import_workbook
from dashboard.importer import write as write_module
from dashboard.importer.cells import CellError, column_parser, parse_cell, parse_csv_column
from dashboard.importer.read import read_csv_text
from dashboard.importer.spec import Col
from dashboard.workbook_io import write_csv_folder

NUMBERS = ["12", "-3.5", "+.5", "5.", "1e5", "1.e5", "2E-3", "007", ".e5", "1e", "nan", "inf", "-inf", "1_000",
           " 12", "12 ", "1 234.5", "1,5", ",5", "5,", "1.234,5", "12\u202f345,5", "1.2.3", "+-1", "--1", "+",
           "9" * 400, "1e999", "١٢", "12\n", "1\n2", "0x10", "1,2,3", "- 5", "abc"]
DATES = ["2022-03-15", "15/03/2022", "2022-02-30", "2022-3-15", "3/15/2022", " 2022-03-15 ", "x"]
CODES = ["A1", "a b", " A1", "A1 ", "x" * 64, "x" * 65, "12", "É-01"]
TEXTS = ["plain", "  padded  ", "x" * 2000, " " + "x" * 2000, "x" * 2001]


def cell_by_cell(col: Col, values: list, french: bool):
    """The reference: parse_cell on every cell; None if any cell is refused."""
    try:
        return [parse_cell(col, v, csv=True, french=french) for v in values]
    except CellError:
        return None


@pytest.mark.parametrize("french", [False, True])
@pytest.mark.parametrize("col, pool", [
    (Col("amount", "number"), NUMBERS), (Col("probability", "number", required=False), NUMBERS),
    (Col("date", "date"), DATES), (Col("code", "code"), CODES), (Col("parent", "code", required=False), CODES),
    (Col("label", "text"), TEXTS), (Col("currency", "currency"), ["EUR", "eur", "XOF", "ABC"]),
    (Col("in_kind", "bool", required=False, default=False), ["oui", "FALSE", "1", "maybe"]),
])
def test_a_whole_csv_column_parses_as_its_cells_do(col, pool, french):
    for value in pool:  # each value alone, among valid neighbours, and with blanks
        for values in ([value], [value] * 3, [pool[0], value, pool[0]], [value, None]):
            expected = cell_by_cell(col, values, french)
            got = parse_csv_column(col, values, french=french)
            if got is not None:  # the fast path may decline (None), never disagree
                assert expected is not None and got == expected, (values, got, expected)
                assert [type(v) for v in got] == [type(v) for v in expected]
            parse = column_parser(col, csv=True, french=french)
            try:
                via_parser = [parse(v) for v in values]
            except CellError:
                via_parser = None
            assert via_parser == expected, values


def test_the_column_parser_keeps_true_one_and_one_point_zero_apart():
    parse = column_parser(Col("code", "code"), csv=False, french=False)
    assert [parse(v) for v in (True, 1, 1.0, "1")] == ["True", "1", "1", "1"]


def reference_read(text: str):
    """read_csv_text before its fast path: line numbers from the reader, blanks to None."""
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = next(reader, None) or []
    rows = []
    for cells in reader:
        cells = cells[: len(header)] + [None] * (len(header) - len(cells))
        cells = [None if c is None or c.strip() == "" else c for c in cells]
        if not all(c is None for c in cells):
            rows.append((reader.line_num, cells))
    return header, rows


@pytest.mark.parametrize("text", [
    "a,b,c\n1,2,3\n\n4,,6\n , ,\n7,8\n9,10,11,12\n",
    "a,b,c\n1,\"x\ny\",3\n4,5,6\n",  # quotes: a record over two lines
    "a,b,c\r\n1,2,3\r\n,,\r\n4,5,6\r\n",
    "a;b;c\n1;2,5;3\n",
])
def test_reading_without_quotes_numbers_rows_as_the_reader_does(text):
    sheet = read_csv_text("s", text)
    assert (sheet.headers, sheet.rows) == reference_read(text)


def small_scale():
    return build_scale(2000, programmes=5)


def test_bulk_inserts_store_what_sqlalchemy_inserts_store(engine, tmp_path, monkeypatch):
    """The same workbook through the bulk path (executemany / COPY) and through table.insert()."""
    folder = tmp_path / "scale"
    write_csv_folder(small_scale(), folder)
    assert import_workbook(engine, folder).ok
    bulk = dump(engine)
    empty_tables(engine)
    monkeypatch.setattr(write_module, "BULK_MIN_ROWS", 10 ** 9)
    assert import_workbook(engine, folder).ok
    assert_same_data(bulk, dump(engine))


def test_columnar_rows_and_row_dicts_give_the_same_database(engine, tmp_path):
    """Expenditures kept as columns (every row valid) and the same sheet with one row refused then
    corrected (row by row): same stored rows, and a re-import changes nothing."""
    wb = small_scale()
    folder = tmp_path / "scale"
    write_csv_folder(wb, folder)
    assert import_workbook(engine, folder).ok
    stored = dump(engine)["expenditures"]
    again = import_workbook(engine, folder)
    assert again.ok and not again.changed
    assert dump(engine)["expenditures"] == stored


def test_errors_in_a_large_sheet_are_reported_row_by_row(tmp_path, sqlite_engine):
    wb = small_scale()
    wb["expenditures"][1500]["amount"] = "12,5,0"
    wb["expenditures"][1600]["budget_line_code"] = "NO-SUCH-LINE"
    wb["expenditures"][11]["reference"] = wb["expenditures"][10]["reference"]  # same programme
    wb["expenditures"][1800]["date"] = "2022-02-30"
    folder = tmp_path / "bad"
    write_csv_folder(wb, folder)
    report = import_workbook(sqlite_engine, folder)
    assert not report.ok
    assert [(e["row"], e["column"]) for e in report.error_rows("en")] == [
        (13, "programme_code, reference"), (1502, "amount"), (1602, "budget_line_code"), (1802, "date")]


def test_garbage_collection_is_paused_during_an_import_and_restored_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()


def test_a_scale_workbook_is_deterministic():
    assert build_scale(2000, programmes=5) == build_scale(2000, programmes=5)
    sizes = {name: len(rows) for name, rows in build_scale(6000).items()}
    assert sizes["expenditures"] == 6000 and sizes["programmes"] == 30
    assert (sizes["attendance"], sizes["measurements"], sizes["budget_lines"]) == (1800, 120, 30)
    assert len({r["country_iso3"] for r in build_scale(6000)["organisations"]}) == 25
    assert all(isinstance(r["date"], dt.date) for r in build_scale(6000)["expenditures"])
