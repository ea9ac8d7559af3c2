"""The large-import paths (issue #17): CSV read by column with pyarrow, attendance checked by
distinct values, and on PostgreSQL the foreign keys and secondary indexes dropped for a large COPY
and created again. Each gives exactly what the line-by-line / row-by-row code gives: the same
error report, the same rows, the migration's indexes and constraints, and nothing written when an
import fails."""
from __future__ import annotations

import sqlalchemy as sa
import pytest

from conftest import assert_same_data, dump, empty_tables
from dashboard.demo import build_scale
from dashboard.importer import import_workbook
from dashboard.importer import read as read_module
from dashboard.importer import write as write_module
from dashboard.importer.read import read_csv_text
from dashboard.workbook_io import write_csv_folder


@pytest.fixture
def large_paths(monkeypatch):
    """Every plain CSV through pyarrow, every COPY of 1000 rows or more through the rebuild."""
    monkeypatch.setattr(read_module, "ARROW_MIN_CHARS", 0)
    monkeypatch.setattr(write_module, "REBUILD_MIN_ROWS", write_module.BULK_MIN_ROWS)


def small_scale():
    return build_scale(2000, programmes=5)


def broken_workbook():
    """The small scale workbook with one error of each kind in its two large sheets, and a blank
    line in each (dropped, but counted in the row numbers of the lines after it)."""
    wb = small_scale()
    ex, at = wb["expenditures"], wb["attendance"]
    blank_ex = dict.fromkeys(ex[0])
    ex[11]["reference"] = ex[10]["reference"]  # row 13: same key as row 12
    ex[100]["amount"] = "abc"  # row 102
    ex[200]["date"] = "2022-02-30"  # row 202
    ex[300]["budget_line_code"] = "NO-LINE"  # row 302
    ex[400]["currency"] = "XYZ"  # row 402
    ex[500]["programme_code"] = None  # row 502: blank required cell
    ex[600]["grant_code"] = "NO-GRANT"  # row 602
    ex[800]["amount"] = "1 234,5"  # row 802: a decimal comma in a plain CSV
    ex[900]["description"] = "x" * 2001  # row 902
    ex.insert(50, blank_ex)  # line 52 blank: rows after it keep their line numbers (+1)
    blank_at = dict.fromkeys(at[0])
    at[10]["participant_key"] = "jean@example.org"  # row 12
    at[20]["session_code"] = "NO-SESSION"  # row 22
    at[30]["sex"] = "Q"  # row 32
    at[41]["participant_key"] = at[40]["participant_key"]  # row 43: same person as row 42...
    at[41]["session_code"] = "SC-01-S00002" if at[40]["session_code"] != "SC-01-S00002" else "SC-01-S00003"
    at[41]["sex"] = "F" if at[40]["sex"] == "M" else "M"  # ...of the other sex
    at.insert(5, blank_at)
    return wb, ex, at


def expected_report(ex, at) -> list[str]:
    """The report, line by line, written out from the mutations above (row = list index + 2)."""
    assert ex[11]["reference"] == "SC-01-2021-0000011"  # what the lines below say of the scale workbook
    assert (at[41]["sex"], at[42]["sex"]) == ("F", "M")
    return [
        "Workbook rejected: 13 error(s), nothing was written",
        "sheet | row | column | value | message",
        "expenditures | 13 | programme_code, reference | SC-01 / SC-01-2021-0000011 | "
        "duplicate key in the workbook (already on row 12)",
        "expenditures | 103 | amount | abc | invalid number",
        "expenditures | 203 | date | 2022-02-30 | invalid date: expected YYYY-MM-DD (or DD/MM/YYYY in CSV)",
        "expenditures | 303 | budget_line_code | NO-LINE | unknown reference: budget_line 'NO-LINE' is neither in "
        "the workbook nor in the database",
        "expenditures | 403 | currency | XYZ | unknown ISO 4217 currency code (e.g. EUR, XOF, GNF)",
        "expenditures | 503 | programme_code |  | value required",
        "expenditures | 603 | grant_code | NO-GRANT | unknown reference: grant 'NO-GRANT' is neither in the workbook "
        "nor in the database",
        "expenditures | 803 | amount | 1 234,5 | invalid number",
        f"expenditures | 903 | description | {'x' * 37}... | text too long (2000 characters at most)",
        "attendance | 13 | participant_key | jean@example.org | looks like an e-mail address: no personal data of "
        "participants",
        "attendance | 23 | session_code | NO-SESSION | unknown reference: session 'NO-SESSION' is neither in the "
        "workbook nor in the database",
        "attendance | 33 | sex | Q | value not allowed; allowed values: F, M, X",
        "attendance | 44 | sex | M | conflicting sex for this participant (elsewhere: F)",
    ]


def test_the_report_of_a_workbook_full_of_errors_is_the_same_on_every_path(tmp_path, monkeypatch, sqlite_engine):
    wb, ex, at = broken_workbook()
    folder = tmp_path / "bad"
    write_csv_folder(wb, folder)
    monkeypatch.setattr(read_module, "ARROW_MIN_CHARS", 0)
    fast = import_workbook(sqlite_engine, folder).render("en")
    monkeypatch.setattr(read_module, "ARROW_MIN_CHARS", 10 ** 12)
    lines = import_workbook(sqlite_engine, folder).render("en")
    assert fast == lines
    assert fast.splitlines() == expected_report(ex, at)


@pytest.mark.parametrize("text", [
    "a,b,c\n1,2,3\n,,\n4, ,6\n",  # a blank line of cells, a blank cell
    "a,b,c\n1,2,3\n\n4,5,6\n",  # an empty line: pyarrow refuses, the line reader reads
    "a,b,c\n1,2\n3,4,5,6\n",  # short and long lines: padded and cut by the line reader
    "a;b;c\n1;2,5;3\n;;\n",
    "a,b\n\u00a0,x\n\t, \n",
])
def test_the_column_reader_reads_what_the_line_reader_reads(text, monkeypatch):
    monkeypatch.setattr(read_module, "ARROW_MIN_CHARS", 0)
    fast = read_csv_text("s", text)
    monkeypatch.setattr(read_module, "ARROW_MIN_CHARS", 10 ** 12)
    slow = read_csv_text("s", text)
    assert (fast.headers, fast.french) == (slow.headers, slow.french)
    assert list(fast.row_numbers()) == list(slow.row_numbers())
    assert [fast.column(i) for i in range(len(fast.headers))] == [slow.column(i) for i in range(len(slow.headers))]


def test_the_column_reader_blanks_and_numbers_by_hand(monkeypatch):
    monkeypatch.setattr(read_module, "ARROW_MIN_CHARS", 0)
    sheet = read_csv_text("s", "a,b,c\n1,2,3\n,,\n4, ,6\n , ,\t\nx,y,z")
    assert sheet.columns is not None  # read by column
    assert list(sheet.row_numbers()) == [2, 4, 6]
    assert [sheet.column(i) for i in range(3)] == [["1", "4", "x"], ["2", None, "y"], ["3", "6", "z"]]


def test_the_column_reader_refuses_a_sheet_over_the_row_limit(monkeypatch):
    from dashboard.importer.read import UnreadableWorkbook

    monkeypatch.setattr(read_module, "ARROW_MIN_CHARS", 0)
    monkeypatch.setenv("DASHBOARD_MAX_ROWS_PER_SHEET", "3")
    read_csv_text("s", "a\n1\n2\n3\n")
    with pytest.raises(UnreadableWorkbook) as err:
        read_csv_text("s", "a\n1\n2\n3\n4\n")
    assert err.value.key == "imp.too_many_rows"


def structures(engine) -> dict:
    """Every index (name, columns, unique) and foreign key (name, columns, target) of the schema."""
    inspector = sa.inspect(engine)
    out = {}
    for table in inspector.get_table_names():
        out[table] = (
            sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)),
            sorted((f["name"], tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                   for f in inspector.get_foreign_keys(table)),
            inspector.get_pk_constraint(table)["constrained_columns"],
        )
    return out


def test_a_large_import_leaves_the_migrations_indexes_and_keys(engine, tmp_path, large_paths):
    migrated = structures(engine)
    assert ("ix_expenditures_line_spent", ("programme_code", "budget_line_code", "currency", "date", "amount",
                                           "amount_eur"), False) in migrated["expenditures"][0]
    folder = tmp_path / "scale"
    write_csv_folder(small_scale(), folder)
    statements = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    report = import_workbook(engine, folder)
    assert report.ok and report.counts["expenditures"]["inserted"] == 2000
    assert structures(engine) == migrated
    rebuilt = [s for s in statements if s.startswith(("DROP INDEX", "CREATE INDEX", "ALTER TABLE"))]
    if engine.dialect.name == "postgresql":  # the path under test ran (expenditures: 2000 rows; attendance 600)
        assert sorted(s for s in rebuilt if s.startswith("DROP INDEX")) == [
            "DROP INDEX ix_expenditures_line_spent", "DROP INDEX ix_expenditures_monthly"]
        assert sorted(s.split(" FOREIGN KEY")[0] for s in rebuilt if "ADD CONSTRAINT" in s) == [
            "ALTER TABLE expenditures ADD CONSTRAINT fk_expenditures_grant_code_grants",
            "ALTER TABLE expenditures ADD CONSTRAINT fk_expenditures_programme_code_budget_line_code_budget_lines"]
    else:
        assert rebuilt == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*), sum(amount) FROM expenditures")).one() == (
            2000, pytest.approx(sum(r["amount"] for r in small_scale()["expenditures"])))


def test_a_large_import_that_fails_at_the_end_leaves_no_row_and_the_indexes(engine, tmp_path, large_paths,
                                                                             monkeypatch):
    folder = tmp_path / "scale"
    write_csv_folder(small_scale(), folder)
    migrated, before = structures(engine), dump(engine)

    def broken(conn):  # the last write of an import fails: everything before it must be undone
        raise RuntimeError("disk full")

    monkeypatch.setattr("dashboard.importer.bump_data_version", broken)
    with pytest.raises(RuntimeError):
        import_workbook(engine, folder)
    assert dump(engine) == before
    assert structures(engine) == migrated
    monkeypatch.undo()


def test_a_large_copy_refused_by_a_foreign_key_writes_nothing(engine, tmp_path, large_paths):
    """The rebuilt foreign key still refuses rows the validation let through (a row the database
    would refuse: here a grant deleted between validation and write)."""
    folder = tmp_path / "scale"
    write_csv_folder(small_scale(), folder)
    migrated, before = structures(engine), dump(engine)
    from dashboard.importer import write as w

    original = w.insert_rows

    def drop_a_grant_first(conn, table, rows):
        if table.name == "expenditures":
            conn.execute(sa.text("DELETE FROM receipts WHERE grant_code = 'SC-01-G1'"))
            conn.execute(sa.text("DELETE FROM grants WHERE code = 'SC-01-G1'"))
        return original(conn, table, rows)

    w.insert_rows = drop_a_grant_first
    try:
        with pytest.raises(sa.exc.IntegrityError):
            import_workbook(engine, folder)
    finally:
        w.insert_rows = original
    assert dump(engine) == before
    assert structures(engine) == migrated


def test_the_large_paths_store_what_the_small_paths_store(engine, tmp_path, monkeypatch):
    folder = tmp_path / "scale"
    write_csv_folder(small_scale(), folder)
    monkeypatch.setattr(read_module, "ARROW_MIN_CHARS", 0)
    monkeypatch.setattr(write_module, "REBUILD_MIN_ROWS", write_module.BULK_MIN_ROWS)
    assert import_workbook(engine, folder).ok
    large = dump(engine)
    empty_tables(engine)
    monkeypatch.setattr(read_module, "ARROW_MIN_CHARS", 10 ** 12)
    monkeypatch.setattr(write_module, "REBUILD_MIN_ROWS", 10 ** 12)
    assert import_workbook(engine, folder).ok
    assert_same_data(large, dump(engine))


def test_reference_errors_in_a_valid_attendance_sheet_are_reported_row_by_row(tmp_path, sqlite_engine,
                                                                               large_paths):
    """Every cell valid (the sheet is kept as columns and checked by distinct values first): the
    rows that break a reference or a rule are still reported one by one."""
    wb = small_scale()
    at = wb["attendance"]
    assert (at[40]["sex"], at[40]["session_code"], at[41]["participant_key"] != at[40]["participant_key"]) == (
        "F", "SC-01-S00003", True)
    at[20]["session_code"] = "NO-SESSION"  # row 22
    at[41]["participant_key"] = at[40]["participant_key"]  # row 43, sex M: row 42 says F
    at[41]["session_code"] = "SC-01-S00002"  # (another session: not a duplicate key)
    at[41]["sex"] = "M"
    at[50]["organisation_code"] = "ORG-NONE"  # row 52
    folder = tmp_path / "refs"
    write_csv_folder(wb, folder)
    assert import_workbook(sqlite_engine, folder).render("en").splitlines() == [
        "Workbook rejected: 3 error(s), nothing was written",
        "sheet | row | column | value | message",
        "attendance | 22 | session_code | NO-SESSION | unknown reference: session 'NO-SESSION' is neither in the "
        "workbook nor in the database",
        "attendance | 43 | sex | M | conflicting sex for this participant (elsewhere: F)",
        "attendance | 52 | organisation_code | ORG-NONE | unknown reference: organisation 'ORG-NONE' is neither in "
        "the workbook nor in the database",
    ]
    at[20]["session_code"], at[41]["sex"], at[50]["organisation_code"] = at[19]["session_code"], "F", None
    at[60]["organisation_code"] = "contact@ong.org"  # row 62: an e-mail address is personal data
    write_csv_folder(wb, folder)
    assert import_workbook(sqlite_engine, folder).render("en").splitlines() == [
        "Workbook rejected: 2 error(s), nothing was written",
        "sheet | row | column | value | message",
        "attendance | 62 | organisation_code | contact@ong.org | looks like an e-mail address: no personal data of "
        "participants",
        "attendance | 62 | organisation_code | contact@ong.org | unknown reference: organisation 'contact@ong.org' "
        "is neither in the workbook nor in the database",
    ]


def test_a_key_is_distinct_when_one_of_its_columns_is():
    from dashboard.importer.validate import _all_distinct

    assert _all_distinct([["A", "A", "B"], ["1", "2", "1"]])  # pairs distinct, no column alone
    assert not _all_distinct([["A", "A", "A"], ["1", "2", "1"]])
    assert _all_distinct([["A", "A", "A"], ["1", "2", "3"]])
    assert not _all_distinct([["A", "B", "A"], ["1", "2", "1"]])
    assert _all_distinct([[], []]) and _all_distinct([["A"], ["1"]])
