"""Hostile or broken files are refused with a clear message before they can cost anything, and
exports cannot carry spreadsheet formulas."""
from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from dashboard.importer import import_workbook, read_upload
from dashboard.importer.read import UnreadableWorkbook
from dashboard.ui.widgets import neutralise, to_csv, to_xlsx


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = _zip_bomb()
    assert len(bomb) < 200_000  # tiny on disk
    with pytest.raises(UnreadableWorkbook) as err:
        read_upload("classeur.xlsx", bomb)
    assert err.value.params["reason"] == "zip bomb"


@pytest.mark.parametrize("content", [
    b"not a zip at all",
    b"PK\x03\x04" + b"\x00" * 64,  # truncated zip
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # OLE container: a password-protected workbook
])
def test_corrupt_or_encrypted_workbooks_are_refused_with_a_message(sqlite_engine, tmp_path, content):
    path = tmp_path / "classeur.xlsx"
    path.write_bytes(content)
    report = import_workbook(sqlite_engine, path)
    assert not report.ok
    assert "fichier illisible" in report.render("fr")


def test_spreadsheet_formulas_are_neutralised_in_exports():
    frame = pd.DataFrame({"label": ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "ok", "a=b"],
                          "n": [1, 2, 3, 4, 5, 6]})
    safe = neutralise(frame)
    assert safe["label"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2", "'@SUM(A1)", "ok", "a=b"]
    assert safe["n"].tolist() == [1, 2, 3, 4, 5, 6]  # numbers (negative ones too) stay numbers
    assert to_csv(frame).decode("utf-8-sig").splitlines()[1].startswith("\"'=HYPERLINK")
    book = pd.read_excel(io.BytesIO(to_xlsx(frame)))
    assert book["label"].iloc[0] == "'=HYPERLINK(\"http://x\")"


def test_uploads_are_capped_by_the_server_configuration():
    """Streamlit refuses larger uploads before they reach the app: the cap must stay set."""
    import tomllib

    from dashboard.db import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 50  # MB, as the Data page tells its users


def test_a_programme_code_with_a_slash_still_gives_an_excel_download():
    """Sheet titles come from the file name (``progres_<code>_...``): Excel forbids []:*?/\\ and
    more than 31 characters."""
    import openpyxl

    from dashboard.ui.widgets import sheet_title

    frame = pd.DataFrame({"a": [1]})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, "progres_PRG/2024:[C]_tous_2024-12-31")))
    assert book.sheetnames == ["progres_PRG_2024__C__tous_2024-"]  # 31 characters
    assert sheet_title("a*b?c\\d") == "a_b_c_d"
    assert sheet_title("'quoted'") == "quoted"
    assert sheet_title("///") == "___"
    assert sheet_title("") == "data"
    long = "x" * 40
    assert sheet_title(long, taken=["x" * 31]) == "x" * 29 + "~2"
    assert sheet_title("Data", taken=["data", "data~2"]) == "Data~3"
