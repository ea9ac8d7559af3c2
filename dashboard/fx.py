"""Currency conversion to EUR (METRICS.md, "Currency").

``amount_eur = amount / per_eur(currency, month)``; the rate of a month is that month's, else the
most recent earlier month's, else the earliest later month's. EUR, XOF and XAF are fixed.
"""
from __future__ import annotations

import bisect
import datetime as dt

BUILTIN_RATES = {"EUR": 1.0, "XOF": 655.957, "XAF": 655.957}


def month_key(day: dt.date) -> int:
    """``2022-03-15`` -> ``202203`` (the ``rate_month`` and bucket columns)."""
    return day.year * 100 + day.month


def month_text(key: int) -> str:
    return f"{key // 100:04d}-{key % 100:02d}"


class RateBook:
    """Monthly rates per currency, with the lookup rule of METRICS.md."""

    def __init__(self, rates: dict[str, dict[str, float]]):
        self._months: dict[str, list[int]] = {}
        self._values: dict[str, list[float]] = {}
        for currency, by_month in rates.items():
            keys = sorted((int(m[:4]) * 100 + int(m[5:7]), v) for m, v in by_month.items())
            self._months[currency] = [k for k, _ in keys]
            self._values[currency] = [v for _, v in keys]

    def per_eur(self, currency: str, month: int) -> float:
        """Units of ``currency`` for 1 EUR in ``month`` (YYYYMM). KeyError if no rate at all."""
        if currency in BUILTIN_RATES:
            return BUILTIN_RATES[currency]
        months = self._months.get(currency)
        if not months:
            raise KeyError(currency)
        i = bisect.bisect_right(months, month)
        return self._values[currency][i - 1] if i > 0 else self._values[currency][0]

    def to_eur(self, amount: float, currency: str, month: int) -> float:
        return amount / self.per_eur(currency, month)
