"""One formatting path per language for what users read in tables and downloads.

Cards format with :func:`dashboard.i18n.fmt_number` / ``fmt_money`` / ``fmt_percent`` /
``fmt_date``; the tables and the files here go through the same functions, so a figure reads the
same on a card, in a table and in a file of the same language.

* Tables (:func:`styled`): the frame keeps its numbers (columns sort as numbers) and a pandas
  Styler gives each cell its text in the app's language ("1 263 000 €", "87 %", "31 mars 2023");
  ``st.dataframe``'s own number formats follow the browser's locale, not the app's, so none is set
  on these columns.
* Files (:func:`to_csv`, :func:`to_xlsx`): a French CSV is separated by ";" with a decimal comma and
  a BOM (French Excel opens it in columns); an English one by "," with a decimal point. Numbers are
  rounded as on the page, whole numbers without ".0", dates as the language writes them. Excel files
  hold numbers and dates as such, each with a number format.

A column's kind says how its cells read: ``money`` (whole euros), ``amount`` (whole units of a
local currency), ``number`` (whole numbers as such, others to 2 decimals), ``decimal`` (2 decimals),
``percent`` (a share 0.87 read as 87 %), ``date``, ``datetime`` (minutes, UTC), ``text``. Columns
not named are inferred: numbers are ``number``, dates ``date``. A text cell in a number column (a
small count disclosed as "< 5", "n.d.") stays text, everywhere.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
from numbers import Number

import pandas as pd
from babel.numbers import format_decimal

from ..i18n import _locale, fmt_date, fmt_money, fmt_number, fmt_percent, t

KINDS = ("money", "amount", "number", "decimal", "percent", "date", "datetime", "text")
MISSING = "—"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def missing(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (str, list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def _as_date(value):
    """A date from a date, a datetime/Timestamp or an ISO string (SQLite returns text); else None."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (_ISO_DATE.match(value) or _ISO_DATETIME.match(value)):
        return dt.date.fromisoformat(value[:10])
    return None


def _as_datetime(value):
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def rounded(value, kind: str):
    """The number a reader sees: money and amounts to the unit, others to 2 decimals; a whole
    number as an int (no "7.0")."""
    value = float(value)
    digits = 0 if kind in ("money", "amount") else 2
    value = round(value, digits)
    return int(value) if value.is_integer() else value


def fmt_datetime(value, lang: str) -> str:
    """``2026-12-01 10:27:25.123456+00:00`` -> ``01/12/2026 10:27`` (fr) / ``2026-12-01 10:27`` (en), UTC."""
    moment = _as_datetime(value)
    if moment is None:
        return MISSING if missing(value) else str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M")


def cell_text(value, kind: str, lang: str) -> str:
    """A table cell as the page shows it in ``lang``."""
    if isinstance(value, str) and kind not in ("date", "datetime"):
        return value  # text, or a disclosed small count ("< 5")
    if missing(value):
        return MISSING
    if isinstance(value, bool):
        return t("fmt.yes" if value else "fmt.no", lang)
    if kind == "date":
        day = _as_date(value)
        return fmt_date(day, lang) if day else str(value)
    if kind == "datetime":
        return fmt_datetime(value, lang)
    if not _is_number(value):
        return str(value)
    if kind == "money":
        return fmt_money(value, lang)
    if kind == "amount":
        return fmt_number(value, lang, 0)
    if kind == "decimal":
        return fmt_number(value, lang, 2)
    if kind == "percent":
        return fmt_percent(value, lang)
    shown = rounded(value, kind)
    return fmt_number(shown, lang, 0 if isinstance(shown, int) else 2)


def infer_kinds(frame: pd.DataFrame, kinds: dict | None = None) -> dict[str, str]:
    """Every column's kind: as given in ``kinds``, else dates are ``date``, numbers ``number``,
    anything else ``text``."""
    kinds = dict(kinds or {})
    found = {}
    for col in frame.columns:
        if col in kinds:
            found[col] = kinds[col]
            continue
        series = frame[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            found[col] = "date"
            continue
        if pd.api.types.is_bool_dtype(series):
            found[col] = "text"
            continue
        values = [v for v in series if not missing(v)]
        if values and all(isinstance(v, (dt.date, pd.Timestamp)) for v in values):
            found[col] = "date"
        elif values and any(_is_number(v) for v in values) and all(_is_number(v) or isinstance(v, str)
                                                                     for v in values):
            found[col] = "number"
        else:
            found[col] = "text"
    return found


# --- tables -----------------------------------------------------------------------------------

def styled(frame: pd.DataFrame, lang: str, kinds: dict | None = None, colours: dict | None = None):
    """``frame`` as ``st.dataframe`` should draw it: a Styler whose cells read in ``lang``
    (numbers stay numbers underneath: sorting is by value). ``colours``: {column: [css background
    colour per row, or None]} (a status column coloured by its status)."""
    kinds = infer_kinds(frame, kinds)
    styler = frame.style.format({col: (lambda v, k=kind: cell_text(v, k, lang)) for col, kind in kinds.items()},
                                na_rep=MISSING)
    for col, fills in (colours or {}).items():
        css = [f"background-color: {c}; color: #1f2328" if c else "" for c in fills]
        styler = styler.apply(lambda _s, css=css: css, subset=[col], axis=0)
    return styler


def display(frame: pd.DataFrame, lang: str, kinds: dict | None = None) -> pd.DataFrame:
    """The texts :func:`styled` shows, as a frame (for ``st.table`` and for tests)."""
    kinds = infer_kinds(frame, kinds)
    return pd.DataFrame({col: [cell_text(v, kinds[col], lang) for v in frame[col]] for col in frame.columns},
                        index=frame.index)


# --- files ------------------------------------------------------------------------------------

def _percent_header(col: str, lang: str) -> str:
    return col if "%" in str(col) else f"{col} (%)"


def _plain_number(value, lang: str) -> str:
    """A number as a spreadsheet reads it in ``lang``: no grouping, ``,`` or ``.`` as decimal mark."""
    text = format_decimal(value, format="0.##", locale=_locale(lang))
    return text.replace("\u00a0", "").replace("\u202f", "")


def file_cell(value, kind: str, lang: str):
    """A cell of a CSV file: text in ``lang``'s spreadsheet conventions."""
    if isinstance(value, str) and kind not in ("date", "datetime"):
        return value
    if missing(value):
        return ""
    if isinstance(value, bool):
        return t("fmt.yes" if value else "fmt.no", lang)
    if kind == "date":
        day = _as_date(value)
        if day is None:
            return str(value)
        return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()
    if kind == "datetime":
        return fmt_datetime(value, lang)
    if not _is_number(value):
        return str(value)
    if kind == "percent":
        return _plain_number(round(float(value) * 100, 1), lang)
    return _plain_number(rounded(value, kind), lang)


def export_frame(frame: pd.DataFrame, lang: str, kinds: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """The frame a file holds (percent columns in percentage points, their header marked "(%)") and
    the kind of each of its columns."""
    kinds = infer_kinds(frame, kinds)
    out, out_kinds = {}, {}
    for col in frame.columns:
        kind = kinds[col]
        name = _percent_header(col, lang) if kind == "percent" else col
        out[name], out_kinds[name] = list(frame[col]), kind
    return pd.DataFrame(out), out_kinds


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutral(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def to_csv(frame: pd.DataFrame, lang: str, kinds: dict | None = None) -> bytes:
    """A CSV file as a spreadsheet of ``lang`` opens it in columns (UTF-8 with a BOM)."""
    shown, kinds = export_frame(frame, lang, kinds)
    text = pd.DataFrame({col: [_neutral(file_cell(v, kinds[col], lang)) for v in shown[col]] for col in shown.columns},
                        columns=list(shown.columns))
    return text.to_csv(index=False, sep=";" if lang == "fr" else ",").encode("utf-8-sig")


def _xlsx_value(value, kind: str):
    """A cell of an Excel file and its number format (None: text, no format)."""
    if isinstance(value, str) and kind not in ("date", "datetime"):
        return _neutral(value), None
    if missing(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    if kind == "date":
        day = _as_date(value)
        return (day, "date") if day else (str(value), None)
    if kind == "datetime":
        moment = _as_datetime(value)
        if moment is None:
            return str(value), None
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return moment.replace(second=0, microsecond=0), "datetime"
    if not _is_number(value):
        return _neutral(str(value)), None
    if kind == "percent":
        shown = round(float(value) * 100, 1)
        return (int(shown), "#,##0") if shown.is_integer() else (shown, "#,##0.0")
    shown = rounded(value, kind)
    return shown, "#,##0" if isinstance(shown, int) else "#,##0.00"


SHEET_MAX = 31


def to_xlsx(frame: pd.DataFrame, lang: str, sheet: str, kinds: dict | None = None) -> bytes:
    """An Excel file of ``frame``: numbers and dates as such with their number formats, text as text,
    one sheet titled ``sheet`` (a short title: Excel allows 31 characters)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from .widgets import sheet_title

    shown, kinds = export_frame(frame, lang, kinds)
    book = Workbook()
    ws = book.active
    ws.title = sheet_title(sheet)
    ws.append([str(c) for c in shown.columns])
    date_format = "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"
    formats = {"date": date_format, "datetime": date_format + " HH:MM"}
    for r, row in enumerate(shown.itertuples(index=False), start=2):
        for c, (col, value) in enumerate(zip(shown.columns, row), start=1):
            cell_value, number_format = _xlsx_value(value, kinds[col])
            cell = ws.cell(row=r, column=c, value=cell_value)
            if number_format:
                cell.number_format = formats.get(number_format, number_format)
    for c, col in enumerate(shown.columns, start=1):  # readable widths: the header or the longest cell
        longest = max([len(str(col))] + [len(str(v)) for v in shown[col].head(200)])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(10, longest + 2))
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
