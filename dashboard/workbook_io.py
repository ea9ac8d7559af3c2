"""Write workbooks in the format of ``docs/DATA_CONTRACT.md``.

A workbook is handled here as plain data: ``{sheet name: [row, ...]}`` where each row maps column
names to Python values (``str``, ``int``, ``float``, ``datetime.date``, ``bool`` or ``None`` for
blank). Two writers are provided:

- :func:`write_csv_folder` writes one ``<sheet>.csv`` per sheet, either as a plain UTF-8 file or
  exactly as a French Excel would export it (``;`` separator, cp1252, decimal comma, ``DD/MM/YYYY``
  dates, space as thousands separator);
- :func:`write_xlsx` writes one ``.xlsx`` file with one sheet per table and real Excel cell types.

Nothing here validates business rules (that is the importer's job); the writers only refuse what
they cannot write faithfully: unknown sheets or columns, non-finite numbers, values of an
unsupported type.

This module does not import Streamlit: the CLI, the tests and the demo generator use it too.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .importer.spec import SHEETS

#: Every sheet of the data contract with its columns, both in the order of DATA_CONTRACT.md
#: (the importer's specification is the single source).
COLUMNS: dict[str, list[str]] = {name: sheet.column_names for name, sheet in SHEETS.items()}

#: CSV dialects this module writes. ``plain`` is the canonical, diff-friendly form used for the
#: demo data in git; ``french`` is what "Enregistrer sous > CSV (séparateur : point-virgule)"
#: produces in a French Excel.
DIALECTS = ("plain", "french")

Row = Mapping[str, Any]
Sheets = Mapping[str, Iterable[Row]]


# --------------------------------------------------------------------------------------------
# Cell formatting
# --------------------------------------------------------------------------------------------

def format_number(value: int | float) -> str:
    """Return ``value`` in plain decimal notation without losing precision.

    Floats use the shortest representation that reads back to the same float (Python's
    ``repr``), spelled out without an exponent (``1e-05`` -> ``0.00001``); integer-valued
    floats are written as integers (``1500.0`` -> ``1500``).
    """
    if isinstance(value, bool):  # bool is an int subclass: never format it as a number
        raise TypeError("booleans are not numbers")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot write the non-finite number {value!r}")
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        # Decimal(repr(x)) holds exactly the shortest round-trip digits; 'f' spells them out.
        text = format(Decimal(text), "f")
    return text


def _group_thousands(digits: str, separator: str) -> str:
    """Insert ``separator`` every three digits from the right: ``12345`` -> ``12 345``."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def format_number_french(value: int | float) -> str:
    """Return ``value`` as a French Excel exports it: ``-12345.67`` -> ``-12 345,67``.

    Precision is that of :func:`format_number`; the integer part of numbers whose magnitude
    is 1000 or more is grouped by three with a space.
    """
    text = format_number(value)
    sign = "-" if text.startswith("-") else ""
    integer, _, fraction = text.lstrip("-").partition(".")
    integer = _group_thousands(integer, " ")
    return sign + integer + ("," + fraction if fraction else "")


def format_cell(value: Any, dialect: str = "plain") -> str:
    """Return the CSV text of one cell in ``dialect`` (blank for ``None``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number_french(value) if dialect == "french" else format_number(value)
    if isinstance(value, dt.datetime):
        # The contract has dates only; a datetime carrying a time of day would lose it silently.
        if value.time() != dt.time(0, 0):
            raise ValueError(f"cannot write the date-time {value.isoformat()} as a date")
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if dialect == "french" else value.isoformat()
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot write a value of type {type(value).__name__}: {value!r}")


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------

def _checked_rows(sheet: str, rows: Iterable[Row]) -> tuple[list[str], list[Row]]:
    """Return the sheet's contract columns and its rows, refusing unknown sheets or columns."""
    if sheet not in COLUMNS:
        raise ValueError(f"unknown sheet {sheet!r}; expected one of {', '.join(COLUMNS)}")
    columns = COLUMNS[sheet]
    known = set(columns)
    rows = list(rows)
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as in Excel
        unknown = set(row) - known
        if unknown:
            raise ValueError(f"{sheet}, row {number}: unknown column(s) {', '.join(sorted(unknown))}")
    return columns, rows


def write_csv_folder(sheets: Sheets, folder: str | Path, dialect: str = "plain") -> list[Path]:
    """Write one ``<sheet>.csv`` per sheet into ``folder`` (created if missing).

    The header is the sheet's contract columns in contract order (:data:`COLUMNS`); a column
    missing from a row, or ``None``, is written blank.

    ``dialect="plain"``: comma separator, UTF-8 without BOM, ``\\n`` line ends, ISO dates, dot
    decimals, ``true``/``false``.

    ``dialect="french"``: what a French Excel exports: ``;`` separator, cp1252, ``\\r\\n`` line
    ends, ``DD/MM/YYYY`` dates, decimal comma and a space as thousands separator for every number
    of magnitude 1000 or more (``12 345,67``). Text that cp1252 cannot encode raises
    ``UnicodeEncodeError`` rather than being silently replaced.

    Returns the paths written, in the order of ``sheets``.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {', '.join(DIALECTS)}")
    french = dialect == "french"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet, sheet_rows in sheets.items():
        columns, rows = _checked_rows(sheet, sheet_rows)
        path = folder / f"{sheet}.csv"
        with path.open(
            "w", encoding="cp1252" if french else "utf-8", errors="strict", newline=""
        ) as handle:
            writer = csv.writer(
                handle,
                delimiter=";" if french else ",",
                lineterminator="\r\n" if french else "\n",
                quoting=csv.QUOTE_MINIMAL,
            )
            writer.writerow(columns)
            for row in rows:
                writer.writerow([format_cell(row.get(column), dialect) for column in columns])
        written.append(path)
    return written


def write_xlsx(sheets: Sheets, path: str | Path) -> Path:
    """Write ``sheets`` to one ``.xlsx`` file, one worksheet per sheet, in the order given.

    Each worksheet holds the header row (contract columns in contract order, bold, frozen) and
    then the rows. Dates become real Excel date cells (shown ``YYYY-MM-DD``), numbers numeric
    cells, booleans Excel booleans (TRUE/FALSE), ``None`` an empty cell; text is written as
    text, so codes such as ``A1.1.1`` or months such as ``2022-01`` are never reinterpreted.
    """
    from openpyxl import Workbook  # local import: CSV-only users do not pay for openpyxl
    from openpyxl.styles import Font

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)  # drop the default "Sheet"
    bold = Font(bold=True)
    for sheet, sheet_rows in sheets.items():
        columns, rows = _checked_rows(sheet, sheet_rows)
        worksheet = workbook.create_sheet(title=sheet)
        worksheet.append(columns)
        for cell in worksheet[1]:
            cell.font = bold
        worksheet.freeze_panes = "A2"
        for row in rows:
            worksheet.append([_xlsx_value(row.get(column)) for column in columns])
        # Dates: openpyxl stores them as serial numbers; give them an unambiguous display format.
        for column_cells in worksheet.iter_cols(min_row=2):
            for cell in column_cells:
                if cell.is_date:
                    cell.number_format = "yyyy-mm-dd"
        for index, column in enumerate(columns, start=1):
            letter = worksheet.cell(row=1, column=index).column_letter
            worksheet.column_dimensions[letter].width = max(10, min(40, len(column) + 4))
    workbook.save(path)
    return path


def _xlsx_value(value: Any) -> Any:
    """Return ``value`` as openpyxl should store it (checks types and finiteness)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"cannot write the non-finite number {value!r}")
        return value
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise ValueError(f"cannot write the date-time {value.isoformat()} as a date")
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"cannot write a value of type {type(value).__name__}: {value!r}")
