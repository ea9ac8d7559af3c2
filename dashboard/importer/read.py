"""Reading a workbook (an ``.xlsx`` file, a folder of ``<sheet>.csv`` files, or rows in memory)
into raw sheets: header cells and data rows with the row number the user sees in Excel."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .cells import is_blank


@dataclass
class RawSheet:
    name: str
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as seen in Excel, cell values)
    csv: bool = False
    french: bool = False  # a ';'-separated CSV: decimal comma, dot thousands


@dataclass
class RawWorkbook:
    sheets: list[RawSheet] = field(default_factory=list)
    #: problems with the file itself: (sheet or file name, catalogue key, params)
    file_errors: list[tuple[str, str, dict]] = field(default_factory=list)


class UnreadableWorkbook(Exception):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def _drop_blank(rows: list[tuple[int, list]]) -> list[tuple[int, list]]:
    return [(n, cells) for n, cells in rows if not all(is_blank(c) for c in cells)]


#: An .xlsx is a zip: refuse one that would inflate beyond this, or inflate suspiciously well
#: (a "zip bomb"), before any XML is parsed.
MAX_XLSX_UNCOMPRESSED = 500 * 1024 * 1024
MAX_XLSX_RATIO = 200


def check_zip(source) -> None:
    """Refuse a zip whose declared content is too large or too compressed to be a real workbook."""
    try:
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableWorkbook("imp.unreadable", reason=exc.__class__.__name__) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    total = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if total > MAX_XLSX_UNCOMPRESSED or (total > 10 * 1024 * 1024 and total / packed > MAX_XLSX_RATIO):
        raise UnreadableWorkbook("imp.unreadable", reason="zip bomb")


def read_xlsx(source) -> RawWorkbook:
    """Every sheet of an .xlsx file (path or binary file object)."""
    import openpyxl

    check_zip(source)
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        # A password-protected workbook is an encrypted OLE file, not a zip: BadZipFile too.
        raise UnreadableWorkbook("imp.unreadable", reason=exc.__class__.__name__) from exc
    workbook = RawWorkbook()
    try:
        for ws in book.worksheets:
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            headers = ["" if h is None else str(h) for h in header]
            body = []
            for number, values in enumerate(rows, start=2):
                cells = list(values)[: len(headers)]
                cells += [None] * (len(headers) - len(cells))
                body.append((number, [_normalise_excel(v) for v in cells]))
            workbook.sheets.append(RawSheet(ws.title, headers, _drop_blank(body)))
    finally:
        book.close()
    return workbook


def _normalise_excel(value):
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the encoding of a French Excel export."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UnreadableWorkbook("imp.encoding") from exc


def read_csv_text(name: str, text: str) -> RawSheet:
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None) or []
    width = len(header)
    body = []
    append = body.append
    isspace = str.isspace
    if '"' not in text and "\r" not in text:
        # Without quotes (and with plain \n line ends) every record is one line: the row number in
        # a spreadsheet is the line number, and the reader can run at C speed.
        records = list(reader)
        numbers = range(2, len(records) + 2)
    else:
        records, numbers = reader, None
    for index, cells in enumerate(records):
        # Blank cells become None; a row of blank cells is dropped (what _drop_blank does).
        if len(cells) != width:
            cells = [c if c and not c.isspace() else None for c in cells[:width]] + [None] * (width - len(cells))
        elif "" in cells or any(map(isspace, cells)):
            cells = [c if c and not c.isspace() else None for c in cells]
        if cells.count(None) != width:
            append((reader.line_num if numbers is None else numbers[index], cells))
    return RawSheet(name, header, body, csv=True, french=delimiter == ";")


def read_csv_folder(folder: Path) -> RawWorkbook:
    workbook = RawWorkbook()
    for path in sorted(Path(folder).glob("*.csv")):
        workbook.sheets.append(read_csv_text(path.stem, decode_csv(path.read_bytes())))
    return workbook


def read_path(path) -> RawWorkbook:
    """A workbook from an .xlsx file or a folder of CSV files (or a single CSV file)."""
    path = Path(path)
    if path.is_dir():
        return read_csv_folder(path)
    if path.suffix.lower() == ".csv":
        return RawWorkbook([read_csv_text(path.stem, decode_csv(path.read_bytes()))])
    return read_xlsx(path)


def from_rows(sheets: dict[str, list[dict]]) -> RawWorkbook:
    """A workbook held in memory as ``{sheet: [row dicts]}`` (typed values, like Excel cells)."""
    workbook = RawWorkbook()
    for name, rows in sheets.items():
        headers: list[str] = []
        for row in rows:
            headers += [k for k in row if k not in headers]
        body = [(n, [row.get(h) for h in headers]) for n, row in enumerate(rows, start=2)]
        workbook.sheets.append(RawSheet(name, headers, _drop_blank(body)))
    return workbook
