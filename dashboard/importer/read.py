"""Reading a workbook (an ``.xlsx`` file, a folder of ``<sheet>.csv`` files, or rows in memory)
into raw sheets: header cells and data rows with the row number the user sees in Excel."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from ..limits import max_rows_per_sheet
from .cells import is_blank


@dataclass
class RawSheet:
    name: str
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as seen in Excel, cell values)
    csv: bool = False
    french: bool = False  # a ';'-separated CSV: decimal comma, dot thousands
    #: The same data held by column (how .xlsx sheets are read: no list per row, a third of the
    #: memory): ``columns[i]`` are the cells under ``headers[i]``, ``numbers`` the row numbers,
    #: and ``rows`` is then left empty. Read through :meth:`row_numbers` and :meth:`column`.
    columns: list[list] | None = None
    numbers: "list[int] | array | None" = None

    def row_numbers(self) -> list[int]:
        return self.numbers if self.columns is not None else [number for number, _ in self.rows]

    def column(self, index: int) -> list:
        if self.columns is not None:
            return self.columns[index]
        return [cells[index] for _, cells in self.rows]


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
    """Every sheet of an .xlsx file (path or binary file object), streamed row by row (openpyxl's
    read-only mode) into columns. A sheet longer than ``DASHBOARD_MAX_ROWS_PER_SHEET`` data rows
    is refused as soon as the reader gets there (:class:`UnreadableWorkbook` ``imp.too_many_rows``)."""
    import openpyxl

    check_zip(source)
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        # A password-protected workbook is an encrypted OLE file, not a zip: BadZipFile too.
        raise UnreadableWorkbook("imp.unreadable", reason=exc.__class__.__name__) from exc
    workbook = RawWorkbook()
    limit = max_rows_per_sheet()
    try:
        for ws in book.worksheets:
            rows = _sheet_values(ws)
            header = next(rows, None)
            if header is None:
                continue
            headers = ["" if h is None else str(h) for h in header]
            workbook.sheets.append(_read_columns(ws.title, headers, rows, limit))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        raise UnreadableWorkbook("imp.unreadable", reason=exc.__class__.__name__) from exc
    finally:
        book.close()
    return workbook


#: Columns read from a sheet at most (the widest sheet of the contract has 13): a forged
#: dimension or a stray cell in column XFD must not make every row 16 384 cells wide.
MAX_COLUMNS = 256


def _sheet_values(ws):
    """The cell values of a read-only worksheet, row by row (tuples; a missing row is ``()``).

    What ``ws.iter_rows(values_only=True)`` gives, with less memory: openpyxl's parser keeps
    every parsed (cleared) ``<row>`` element in its XML tree until the end of the sheet (and a
    dict per row with a height): about 100 bytes a row, 200 MB for 2 million rows. This one
    drops each row from the tree once read. Falls back to ``iter_rows`` if openpyxl's internals
    change."""
    try:
        from openpyxl.worksheet._reader import DATA_TAG, ROW_TAG, WorkSheetParser, iterparse

        source = ws._get_source()
        parser = WorkSheetParser(source, ws._shared_strings, data_only=True, epoch=ws.parent.epoch,
                                 date_formats=ws.parent._date_formats,
                                 timedelta_formats=ws.parent._timedelta_formats)
    except (AttributeError, ImportError, TypeError):  # pragma: no cover - another openpyxl
        yield from ws.iter_rows(values_only=True)
        return
    with source:
        expected = 1
        sheet_data = None
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == DATA_TAG:
                    sheet_data = element
                continue
            if element.tag != ROW_TAG:
                continue
            number, cells = parser.parse_row(element)
            element.clear()
            if sheet_data is not None:
                sheet_data.clear()  # the rows read so far leave the tree
            parser.row_dimensions.clear()
            while expected < number:  # rows absent from the file are blank
                expected += 1
                yield ()
            if number < expected:  # a row number going backwards: not a sheet Excel writes
                raise UnreadableWorkbook("imp.unreadable", reason=f"row {number}")
            expected += 1
            values = []
            for cell in cells:
                column = cell["column"]
                if column > MAX_COLUMNS:
                    continue
                if column > len(values):
                    values += [None] * (column - len(values))
                values[column - 1] = cell["value"]
            yield tuple(values)


#: Short texts (codes, currencies, ISO dates...) repeat: one string object per distinct value, up
#: to this many distinct values per sheet (unique voucher numbers would only fill the memo).
_MEMO_MAX = 65536
_MEMO_LEN = 40


def _read_columns(title: str, headers: list[str], rows, limit: int) -> RawSheet:
    width = len(headers)
    columns: list[list] = [[] for _ in range(width)]
    appends = [c.append for c in columns]
    numbers = array("l")  # row numbers: 8 bytes each rather than an int object
    texts: dict[str, str] = {}
    dates: dict = {}
    datetime_cls = dt.datetime

    def normal(value):
        cls = value.__class__
        if cls is str:
            if not value or value.isspace():
                return None
            if len(value) <= _MEMO_LEN:
                known = texts.get(value)
                if known is not None:
                    return known
                if len(texts) < _MEMO_MAX:
                    texts[value] = value
            return value
        if cls is datetime_cls:
            known = dates.get(value)
            if known is None:
                known = dates[value] = _normalise_excel(value)
            return known
        return value

    last = limit + 1  # header = row 1
    for number, values in enumerate(rows, start=2):
        if number > last:
            raise UnreadableWorkbook("imp.too_many_rows", sheet=title, max=limit)
        cells = [None if v is None else normal(v) for v in values[:width]]
        if len(cells) < width:
            cells += [None] * (width - len(cells))
        if cells.count(None) == width:  # a blank row: skipped (its number stays that of Excel)
            continue
        numbers.append(number)
        for append, cell in zip(appends, cells):
            append(cell)
    return RawSheet(title, headers, [], columns=columns, numbers=numbers)


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
    limit = max_rows_per_sheet()
    if '"' not in text and "\r" not in text and len(text) >= ARROW_MIN_CHARS and width:
        sheet = _read_csv_arrow(name, header, text, delimiter, limit)
        if sheet is not None:
            return sheet
    if '"' not in text and "\r" not in text:
        # Without quotes (and with plain \n line ends) every record is one line: the row number in
        # a spreadsheet is the line number, and the reader can run at C speed.
        records = list(reader)
        numbers = range(2, len(records) + 2)
        if len(records) > limit:
            raise UnreadableWorkbook("imp.too_many_rows", sheet=name, max=limit)
    else:
        records, numbers = reader, None
    for index, cells in enumerate(records):
        if index >= limit:
            raise UnreadableWorkbook("imp.too_many_rows", sheet=name, max=limit)
        # Blank cells become None; a row of blank cells is dropped (what _drop_blank does).
        if len(cells) != width:
            cells = [c if c and not c.isspace() else None for c in cells[:width]] + [None] * (width - len(cells))
        elif "" in cells or any(map(isspace, cells)):
            cells = [c if c and not c.isspace() else None for c in cells]
        if cells.count(None) != width:
            append((reader.line_num if numbers is None else numbers[index], cells))
    return RawSheet(name, header, body, csv=True, french=delimiter == ";")


#: CSV text at least this long (about 10 000 rows) is split by pyarrow's reader when it can be.
ARROW_MIN_CHARS = 1_000_000
#: A column whose first rows hold at most this many distinct values is converted through its
#: dictionary: one string object per distinct value, as many list slots as rows.
_ARROW_SAMPLE, _ARROW_DISTINCT = 2000, 500


def _read_csv_arrow(name: str, header: list[str], text: str, delimiter: str, limit: int) -> RawSheet | None:
    """What the loop of :func:`read_csv_text` gives for CSV text without quotes or carriage returns
    (one record per line), read by column with ``pyarrow.csv`` (C, several threads): the same
    cells, blank ones None, blank rows dropped, row number = line number. None (the caller reads
    it line by line) when pyarrow is missing or refuses the text: a line with another number of
    cells than the header, for instance, which the line reader pads or truncates."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv
    except ImportError:  # pragma: no cover - pyarrow comes with Streamlit
        return None
    if "\0" in text:
        return None
    width = len(header)
    body = text.encode("utf-8")
    names = [f"c{i}" for i in range(width)]
    try:
        table = pcsv.read_csv(
            pa.py_buffer(body),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, quote_char=False, double_quote=False,
                                            escape_char=False, newlines_in_values=False,
                                            ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    del body
    count = table.num_rows
    if count > limit:
        raise UnreadableWorkbook("imp.too_many_rows", sheet=name, max=limit)
    columns: list[list] = []
    for chunked in table.columns:
        array = chunked.combine_chunks()
        sample = array.slice(0, _ARROW_SAMPLE).to_pylist()
        if count > 2 * _ARROW_SAMPLE and len(set(sample)) <= _ARROW_DISTINCT:
            import numpy as np

            encoded = pc.dictionary_encode(array)
            distinct = [v if v and not v.isspace() else None for v in encoded.dictionary.to_pylist()]
            values = np.asarray(distinct, dtype=object)[encoded.indices.to_numpy(zero_copy_only=False)].tolist()
        else:
            values = array.to_pylist()
            if "" in values or any(map(str.isspace, values)):
                values = [v if v and not v.isspace() else None for v in values]
        columns.append(values)
        del array
    del table
    numbers = array_of_numbers(range(2, count + 2))
    blank = [i for i, cells in enumerate(zip(*[c for c in columns if None in c]))
             if cells.count(None) == width] if all(None in c for c in columns) else []
    if blank:  # rows of blank cells are dropped (their numbers are those of the lines)
        gone = set(blank)
        keep = [i for i in range(count) if i not in gone]
        columns = [[c[i] for i in keep] for c in columns]
        numbers = array_of_numbers(n for i, n in enumerate(numbers) if i not in gone)
    return RawSheet(name, header, [], csv=True, french=delimiter == ";", columns=columns, numbers=numbers)


def array_of_numbers(numbers) -> array:
    return array("l", numbers)


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
