"""Turning one cell (an Excel value or a CSV string) into a typed Python value.

Each parser returns the value or raises :class:`CellError` with a catalogue key, so the
validator can report ``sheet, row, column, value, message`` in the user's language.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache

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


def parse_date(raw, allow_french: bool = False) -> dt.date:
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
        return f"{raw.year:04d}-{raw.month:02d}"
    text = str(raw).strip()
    match = _MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise CellError("imp.bad_month")
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
