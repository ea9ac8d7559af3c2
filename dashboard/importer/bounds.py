"""Numbers too large to be true: every money amount must stay within ``DASHBOARD_MAX_AMOUNT_EUR``
(default 1e12) once converted to EUR, and the other quantities (baseline, targets, measured
values, hours) within the same number. ``1e308`` is a finite float: without this it went into the
database and every sum of it became ``inf`` on the pages."""
from __future__ import annotations

from ..fx import BUILTIN_RATES, RateBook, month_key
from ..limits import max_amount_eur
from .validate import Issue, ParsedRows, Row

MONEY_SHEETS = ("grants", "receipts", "budget_lines", "expenditures")
#: Number columns bounded in their own unit (probability, latitude, longitude and exchange rates
#: have rules of their own).
QUANTITIES = {"indicators": ("baseline",), "targets": ("target",), "measurements": ("value",),
              "sessions": ("hours",)}


def _short(value: float) -> str:
    return f"{value:.6g}"


def check_bounds(rows: dict[str, list[Row]], state) -> list[Issue]:
    limit = max_amount_eur()
    issues: list[Issue] = []
    rates = {cur: dict(months) for cur, months in state.fx.items()}
    for r in rows.get("fx_rates", []):
        if r.ok and r.values["per_eur"]:
            rates.setdefault(r.values["currency"], {})[r.values["month"]] = r.values["per_eur"]
    book = RateBook(rates)
    starts = dict(state.programmes)
    starts.update({r.values["code"]: r.values["start_date"] for r in rows.get("programmes", []) if r.ok})

    def per_eur(currency, month):
        try:
            rate = book.per_eur(currency, month)
        except KeyError:  # no rate: reported as such by the reference checks
            return None
        return rate if rate and rate > 0 else None

    for sheet, columns in QUANTITIES.items():
        for name in columns:
            sheet_rows = rows.get(sheet, [])
            if isinstance(sheet_rows, ParsedRows) and max((abs(x) for x in sheet_rows.column(name) if x is not None), default=0) <= limit:
                continue
            for row in sheet_rows:
                value = row.values[name]
                if row.ok and value is not None and abs(value) > limit:
                    issues.append(Issue(sheet, row.number, name, value, "imp.too_large", {"max": _short(limit)}))

    for sheet in MONEY_SHEETS:
        sheet_rows = rows.get(sheet, [])
        if isinstance(sheet_rows, ParsedRows):
            # Large sheets: per currency, the largest amount at the currency's smallest rate.
            largest: dict[str, float] = {}
            for amount, currency in zip(sheet_rows.column("amount"), sheet_rows.column("currency")):
                if abs(amount) > largest.get(currency, -1.0):
                    largest[currency] = abs(amount)
            if all(amount <= limit * min(rates.get(cur, {}).values() or [BUILTIN_RATES.get(cur, 0) or 0])
                   for cur, amount in largest.items()):
                continue
        for row in sheet_rows:
            v = row.values
            if not row.ok or v["amount"] is None:
                continue
            if sheet in ("receipts", "expenditures"):
                day = v["date"]
            elif sheet == "grants":
                day = v["signed_date"] or v["start_date"] or starts.get(v["programme_code"])
            else:
                day = starts.get(v["programme_code"])
            if day is None:
                continue
            rate = per_eur(v["currency"], month_key(day))
            if rate is None:
                continue
            eur = abs(v["amount"]) / rate
            if eur > limit:
                issues.append(Issue(sheet, row.number, "amount", v["amount"], "imp.amount_too_large",
                                    {"max": _short(limit), "eur": _short(eur)}))
    return issues
