"""Turning one cell (an Excel value or a CSV string) into a typed Python value.

Each parser returns the value or raises :class:`CellError` with a catalogue key, so the
validator can report ``sheet, row, column, value, message`` in the user's language.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache

from ..limits import MAX_YEAR, MIN_YEAR
from .spec import Col


class CellError(ValueError):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


_SPACES = re.compile(r"[\s\u00a0\u202f]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_FRENCH_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_TRUE = {"true", "vrai", "1", "yes", "oui"}
_FALSE = {"false", "faux", "0", "no", "non"}


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "") or (
        isinstance(raw, float) and math.isnan(raw))


def parse_number(raw, french: bool = False) -> float:
    """A number from an Excel cell or a CSV string.

    ``french`` is true for ``;``-separated CSV files: comma decimal, and dot, space or narrow
    no-break space as thousands separators (``12.345,67`` or ``12 345,67``). Otherwise the
    decimal is a dot and spaces may separate thousands.
    """
    if isinstance(raw, bool):
        raise CellError("imp.bad_number")
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = _SPACES.sub("", str(raw))
        if french:
            if "." in text:
                if not _FRENCH_GROUPED.match(text):
                    raise CellError("imp.bad_number")
                text = text.replace(".", "")
            text = text.replace(",", ".")
        if not _PLAIN_NUMBER.match(text):
            raise CellError("imp.bad_number")
        value = float(text)
    if not math.isfinite(value):
        raise CellError("imp.bad_number")
    return value


def _in_range(day: dt.date) -> dt.date:
    """Dates of year 1 or 9999 parse, then break every page: the years 1900-2100 only."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CellError("imp.date_range", low=MIN_YEAR, high=MAX_YEAR)
    return day


def parse_date(raw, allow_french: bool = False) -> dt.date:
    return _in_range(_parse_date(raw, allow_french))


def _parse_date(raw, allow_french: bool = False) -> dt.date:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0):
            raise CellError("imp.bad_date")
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    match = _ISO_DATE.match(text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = _FR_DATE.match(text)
        if match and allow_french:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise CellError("imp.bad_date")


def parse_month(raw) -> str:
    if isinstance(raw, (dt.date, dt.datetime)):
        _in_range(raw)
        return f"{raw.year:04d}-{raw.month:02d}"
    text = str(raw).strip()
    match = _MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise CellError("imp.bad_month")
    if not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
        raise CellError("imp.date_range", low=MIN_YEAR, high=MAX_YEAR)
    return text


def parse_code(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # Excel stores the code 12 as 12.0
    text = str(raw)
    if not 1 <= len(text) <= 64 or text != text.strip():
        raise CellError("imp.bad_code")
    return text


def parse_bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("imp.bad_bool")


@lru_cache(maxsize=1)
def _iso3_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def parse_cell(col: Col, raw, *, csv: bool, french: bool):
    """The typed value of ``raw`` for column ``col`` (None for a blank optional cell)."""
    if is_blank(raw):
        if col.required:
            raise CellError("imp.required")
        return col.default
    if col.type == "code":
        return parse_code(raw)
    if col.type == "text":
        text = str(raw).strip()
        if len(text) > 2000:
            raise CellError("imp.too_long", max=2000)
        return text
    if col.type == "number":
        return parse_number(raw, french=csv and french)
    if col.type == "date":
        return parse_date(raw, allow_french=csv)
    if col.type == "month":
        return parse_month(raw)
    if col.type == "bool":
        return parse_bool(raw)
    if col.type == "enum":
        text = str(raw).strip()
        if text not in col.choices:
            # Accept a different case ("Signed"), never a different word.
            lowered = {c.lower(): c for c in col.choices}
            if text.lower() in lowered:
                return lowered[text.lower()]
            raise CellError("imp.bad_enum", allowed=", ".join(col.choices))
        return text
    if col.type == "iso3":
        text = str(raw).strip().upper()
        if text not in _iso3_codes():
            raise CellError("imp.bad_country")
        return text
    if col.type == "currency":
        text = str(raw).strip().upper()
        if text not in _currency_codes():
            raise CellError("imp.bad_currency")
        return text
    raise AssertionError(f"unknown column type {col.type}")


def looks_like_email(value) -> bool:
    return isinstance(value, str) and bool(_EMAIL.search(value))


# --- whole columns ---------------------------------------------------------------------------
# The validator parses a sheet column by column with one of these: the same rules as
# :func:`parse_cell`, without its per-cell dispatch, and each distinct value of a repetitive
# column (codes, dates, currencies...) parsed once. A million-row sheet repeats a few hundred
# codes and dates; parsing them once is most of the speed of a large import.

_FRENCH_SIMPLE = re.compile(r"^[+-]?\d+(,\d*)?$")
_NOT_PLAIN_NUMBER = re.compile(r"[^0-9eE+\-.\n]")
_NOT_FRENCH_NUMBER = re.compile(r"[^0-9,+\-\n]")
_MEMO_TYPES = ("code", "date", "month", "bool", "enum", "iso3", "currency")
_MEMO_MAX = 65536  # distinct values remembered per column


def _typed(col: Col, csv: bool, french: bool):
    """The parser of one non-blank cell of ``col`` (what :func:`parse_cell` does after the blank test)."""
    kind = col.type
    if kind == "text":
        def parse_text(raw):
            text = str(raw).strip()
            if len(text) > 2000:
                raise CellError("imp.too_long", max=2000)
            return text
        return parse_text
    if kind == "number":
        french_csv = csv and french
        plain, simple, isfinite = _PLAIN_NUMBER.match, _FRENCH_SIMPLE.match, math.isfinite

        def parse_num(raw):
            # Fast paths for the usual CSV text; anything else takes the full rules.
            if raw.__class__ is str:
                if not french_csv and plain(raw):
                    value = float(raw)
                    if isfinite(value):
                        return value
                elif french_csv and simple(raw):
                    value = float(raw.replace(",", "."))
                    if isfinite(value):
                        return value
            return parse_number(raw, french=french_csv)
        return parse_num
    return lambda raw: parse_cell(col, raw, csv=csv, french=french)


def column_parser(col: Col, *, csv: bool, french: bool):
    """A function ``raw -> value`` equivalent to ``parse_cell(col, raw, csv=csv, french=french)``
    (it raises the same :class:`CellError`), faster over a whole column."""
    typed = _typed(col, csv, french)
    required, default = col.required, col.default
    if col.type in _MEMO_TYPES:
        cache: dict = {}
        uncached = typed

        def typed(raw):  # noqa: F811 - the memoised version of the parser above
            # Key non-text values by type too: True == 1 == 1.0 but they parse differently.
            key = raw if raw.__class__ is str else (raw.__class__, raw)
            try:
                hit = cache.get(key)
            except TypeError:  # an unhashable value (rows given in memory)
                return uncached(raw)
            if hit is None:
                try:
                    hit = (True, uncached(raw))
                except CellError as err:
                    hit = (False, (err.key, err.params))
                if len(cache) < _MEMO_MAX:  # a column of distinct values (voucher numbers) is not repetitive
                    cache[key] = hit
            if hit[0]:
                return hit[1]
            raise CellError(hit[1][0], **hit[1][1])

    def parse(raw):
        if raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, float) and math.isnan(raw)):
            if required:
                raise CellError("imp.required")
            return default
        return typed(raw)
    return parse


def parse_csv_column(col: Col, values: list, *, french: bool) -> list | None:
    """The parsed values of a whole CSV column, or None when some cell needs the cell-by-cell
    parser (an error to report, or text the fast paths do not cover).

    Only for columns read from a CSV file, whose cells are non-blank strings or None (see
    ``read.read_csv_text``). Never a different result from :func:`parse_cell`: distinct values of
    repetitive columns go through :func:`column_parser` itself, and the fast paths for numbers and
    text accept only what the full rules accept in the same way.
    """
    blank = None in values
    if blank and col.required:
        return None
    default = col.default
    if col.type == "code" and not blank and len(set(values)) > len(values) // 2 and max(
            map(len, values), default=0) <= 64 and all(map(str.__eq__, values, map(str.strip, values))):
        # A column of (mostly) distinct codes, e.g. voucher references: parse_code of a non-blank
        # string is the string itself, when it is at most 64 characters and not padded.
        return values
    if col.type in _MEMO_TYPES:
        parse = column_parser(col, csv=True, french=french)
        mapping = {}
        try:
            for raw in set(values):
                mapping[raw] = parse(raw)
        except CellError:
            return None
        return [mapping[raw] for raw in values]
    present = [raw for raw in values if raw is not None] if blank else values
    if col.type == "text":
        if present and max(map(len, present)) > 2000:  # stripping can only shorten a cell
            return None
        parsed = list(map(str.strip, present))
    elif col.type == "number":
        # Digits, signs, a decimal mark and exponents only (checked over the whole column at once):
        # for such text, float() accepts exactly what the rules of parse_number accept, except
        # infinities (refused below) and, in French files, an exponent or grouping (not allowed
        # through here).
        text = "\n".join(present)
        if (_NOT_FRENCH_NUMBER if french else _NOT_PLAIN_NUMBER).search(text):
            return None
        pieces = text.replace(",", ".").split("\n") if french else present
        if len(pieces) != len(present):  # a cell with a line break: the cell-by-cell rules decide
            return None
        try:
            parsed = list(map(float, pieces))
        except ValueError:
            return None
        if not all(map(math.isfinite, parsed)):
            return None
    else:
        return None
    if not blank:
        return parsed
    it = iter(parsed)
    return [default if raw is None else next(it) for raw in values]
