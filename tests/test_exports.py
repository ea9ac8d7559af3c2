"""Every table a page offers for download, as the files a click writes, for a board member and a
programme manager, in French and in English (issue #14): files in the page's language.

French CSV: a BOM, ";" between fields, a decimal comma, dates as 31/03/2023, whole numbers
without ".0", numbers rounded for reading; headers and statuses in French. English CSV: "," and a
decimal point. Excel: every number and date with a number format, short sheet titles kept whole."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from streamlit.delta_generator import DeltaGenerator

from apptest import PASSWORD, database, open_page
from dashboard import auth

BOARD, MANAGER = "conseil@test.invalid", "gestion@test.invalid"
PAGES = ("overview", "budget", "funding", "training", "progress", "data")
RAW_STATUSES = {"on_track", "overspend", "underspend", "overspent", "over_budget", "no_data", "ahead", "behind",
                "not_due", "non_reporting", "diversified", "moderate", "concentrated", "prospect", "submitted",
                "signed"}
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
WHOLE_WITH_ZERO = re.compile(r"^-?\d+[.,]0+$")
LONG_DECIMALS = re.compile(r"^-?\d+[.,]\d{3,}$")


@pytest.fixture(scope="module")
def files(tmp_path_factory, demo_workbooks):
    """{(role, lang): [(file name, bytes)]} of every download button of every page."""
    monkeypatch = pytest.MonkeyPatch()
    engine = database(tmp_path_factory.mktemp("exports"), monkeypatch, *demo_workbooks)
    auth.add_user(engine, BOARD, "conseil", PASSWORD)
    auth.add_user(engine, MANAGER, "manager", PASSWORD, programmes=["PCRPM-C2"])
    found: dict = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kwargs):
        if file_name and file_name.endswith((".csv", ".xlsx")):
            found.setdefault(current, []).append((file_name, data() if callable(data) else data))
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    for role, email in (("board", BOARD), ("manager", MANAGER)):
        for lang in ("fr", "en"):
            current = (role, lang)
            for page in PAGES:
                if page == "data" and role == "board":
                    continue
                open_page(page, as_user=email, programme="PCRPM-C2", lang=lang)
    yield found
    monkeypatch.undo()


def csv_rows(name, content, lang):
    assert content.startswith(b"\xef\xbb\xbf"), name  # a BOM: Excel reads UTF-8
    text = content[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if lang == "fr" else ","))
    assert len({len(r) for r in rows}) == 1, name  # every row in the same columns
    assert len(rows[0]) > 1, name  # split into columns, not one column of text
    return rows


@pytest.mark.parametrize("role", ["board", "manager"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_csv_files_read_in_the_page_language(files, role, lang):
    csvs = [(n, c) for n, c in files[(role, lang)] if n.endswith(".csv")]
    assert len(csvs) >= 8, [n for n, _ in csvs]  # the overview, budget, funding, training, progress tables
    for name, content in csvs:
        rows = csv_rows(name, content, lang)
        header, body = rows[0], rows[1:]
        assert not [h for h in header if SNAKE.match(h)], (name, header)
        # English labels are the keys' words ("behind"): a raw key there is one with "_"
        raw = RAW_STATUSES if lang == "fr" else {s for s in RAW_STATUSES if "_" in s}
        for row in body:
            for cell in row:
                assert cell not in raw, (name, cell)
                assert cell not in ("None", "nan", "NaT", "True", "False"), (name, cell)
                assert not WHOLE_WITH_ZERO.match(cell), (name, cell)
                assert not LONG_DECIMALS.match(cell), (name, cell)
                if lang == "fr":
                    assert not ISO_DATE.match(cell), (name, cell)
                    assert not re.match(r"^-?\d+\.\d+$", cell), (name, cell)  # a decimal comma
                else:
                    assert not re.match(r"^-?\d+,\d+$", cell), (name, cell)


def test_french_csv_by_hand(files):
    """The budget lines' file: "1 263 000,00 €" nowhere, amounts whole, the status in French, a
    French date in the sessions' file."""
    by_name = dict(files[("manager", "fr")])
    lines = next(c for n, c in by_name.items() if n.startswith("lignes_budgetaires") and n.endswith(".csv"))
    rows = csv_rows("lines", lines, "fr")
    assert rows[0][:7] == ["État", "Ligne", "Libellé", "Pays", "Budget (EUR)", "Dépensé (EUR)", "Exécution (%)"]
    states = {r[0] for r in rows[1:]}
    assert "sous-consommation" in states and not states & RAW_STATUSES
    assert all(re.fullmatch(r"-?\d+", r[4]) for r in rows[1:])  # whole euros, no grouping
    sessions = next(c for n, c in by_name.items() if n.startswith("sessions") and n.endswith(".csv"))
    first = csv_rows("sessions", sessions, "fr")[1][0]
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", first), first


@pytest.mark.parametrize("role", ["board", "manager"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_excel_files_have_number_formats_and_whole_sheet_titles(files, role, lang):
    books = [(n, c) for n, c in files[(role, lang)] if n.endswith(".xlsx")]
    assert len(books) >= 8, [n for n, _ in books]
    for name, content in books:
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.active
        title = sheet.title
        assert len(title) <= 31 and not title.endswith(("_", "~")) and title != "data", (name, title)
        header = [c.value for c in sheet[1]]
        assert not [h for h in header if isinstance(h, str) and SNAKE.match(h)], (name, header)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                value = cell.value
                if isinstance(value, bool) or value is None:
                    continue
                if isinstance(value, (int, float, dt.date, dt.datetime)):
                    assert cell.number_format != "General", (name, title, cell.coordinate, value)
                if isinstance(value, float):
                    assert round(value, 2) == value, (name, cell.coordinate, value)
                if isinstance(value, str):
                    assert value not in (RAW_STATUSES if lang == "fr" else {s for s in RAW_STATUSES if "_" in s}), (
                        name, cell.coordinate, value)
                    assert not ISO_DATE.match(value), (name, cell.coordinate, value)


def test_sheet_titles_are_the_pages_words(files):
    titles = {openpyxl.load_workbook(io.BytesIO(c)).active.title for n, c in files[("manager", "fr")]
              if n.endswith(".xlsx")}
    assert {"Lignes budgétaires", "Indicateurs", "Sessions", "Parts des bailleurs"} <= titles
    titles = {openpyxl.load_workbook(io.BytesIO(c)).active.title for n, c in files[("board", "en")]
              if n.endswith(".xlsx")}
    assert {"Budget lines", "Indicators", "Funder shares", "Grant end dates"} <= titles


def test_files_by_hand_and_formulas_stay_text():
    """Worked by hand: 1263000.456 EUR is 1263000 in both files (whole euros); a share 0.8277093
    is 82,8 % in French; 7.0 is 7; a date reads 31/03/2023; a cell that starts like a formula
    gets an apostrophe in both files; a disclosed "< 5" stays text."""
    import pandas as pd

    from dashboard.ui.widgets import to_csv, to_xlsx

    frame = pd.DataFrame({"Montant (EUR)": [1263000.456, 7.0], "Part": [0.8277093333333332, 0.5],
                          "Fin": [dt.date(2023, 3, 31), None], "Libellé": ["=HYPERLINK(\"x\")", "ok"],
                          "Participants": ["< 5", 12]})
    kinds = {"Montant (EUR)": "money", "Part": "percent", "Fin": "date"}
    rows = list(csv.reader(io.StringIO(to_csv(frame, "fr", kinds)[3:].decode("utf-8")), delimiter=";"))
    assert rows == [["Montant (EUR)", "Part (%)", "Fin", "Libellé", "Participants"],
                    ["1263000", "82,8", "31/03/2023", "'=HYPERLINK(\"x\")", "< 5"],
                    ["7", "50", "", "ok", "12"]]
    english = list(csv.reader(io.StringIO(to_csv(frame, "en", kinds)[3:].decode("utf-8"))))
    assert english[1][:3] == ["1263000", "82.8", "2023-03-31"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, "Lignes budgétaires", "fr", kinds))).active
    assert sheet.title == "Lignes budgétaires"
    assert (sheet["A2"].value, sheet["A2"].number_format) == (1263000, "#,##0")
    assert (sheet["B2"].value, sheet["B2"].number_format) == (82.8, "#,##0.0")
    assert sheet["C2"].value == dt.datetime(2023, 3, 31) and sheet["C2"].number_format == "DD/MM/YYYY"
    assert sheet["D2"].value == "'=HYPERLINK(\"x\")" and sheet["E2"].value == "< 5"
    assert (sheet["E3"].value, sheet["E3"].number_format) == (12, "#,##0")
