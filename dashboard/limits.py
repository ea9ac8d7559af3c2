"""Limits that protect the app from hostile or absurd input, as settings (environment variables).

| variable | default | what |
|---|---|---|
| ``DASHBOARD_MAX_ROWS_PER_SHEET`` | 2 000 000 | data rows read from one sheet (or CSV file); more: refused |
| ``DASHBOARD_MAX_ERRORS_LISTED`` | 200 | errors listed in an import report, then "and N more" |
| ``DASHBOARD_MAX_AMOUNT_EUR`` | 1e12 | largest amount (in EUR, after conversion) and other number |

Dates in a workbook must lie in the years 1900 to 2100 (fixed: what the pages and the SQL date
arithmetic are built for). The values are read at each use, so a test or an operator can change
them without a restart.
"""
from __future__ import annotations

import logging
import math
import os

log = logging.getLogger(__name__)

MIN_YEAR, MAX_YEAR = 1900, 2100
DEFAULTS = {
    "DASHBOARD_MAX_ROWS_PER_SHEET": 2_000_000,
    "DASHBOARD_MAX_ERRORS_LISTED": 200,
    "DASHBOARD_MAX_AMOUNT_EUR": 1e12,
}


def _setting(name: str, kind):
    default = DEFAULTS[name]
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = kind(float(text)) if kind is int else kind(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value <= 0:
        log.warning("%s=%r is not a positive number: using %s", name, text, default)
        return default
    return value


def max_rows_per_sheet() -> int:
    return _setting("DASHBOARD_MAX_ROWS_PER_SHEET", int)


def max_errors_listed() -> int:
    return _setting("DASHBOARD_MAX_ERRORS_LISTED", int)


def max_amount_eur() -> float:
    return _setting("DASHBOARD_MAX_AMOUNT_EUR", float)
