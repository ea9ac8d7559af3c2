"""Data of the two finance pages (budget risk, funding diversification), from SQL aggregates.

Everything returned is small: one row per month, budget line, country, category, funder or
grant. The figures follow docs/METRICS.md through the functions of ``dashboard.metrics``.
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from .alerts import ending_grants
from .db import query
from .fx import month_key
from .kpis import Programme, country_params, funding_by_funder
from .metrics import budget as mb
from .metrics import funding as mf
from .metrics.thresholds import DEFAULT, Thresholds


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month from ``start``'s to ``end``'s, the last one clamped to ``end``."""
    days, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        days.append(min(nxt - dt.timedelta(days=1), end))
        year, month = nxt.year, nxt.month
    return days


def spend_curve(conn, prog: Programme, as_of: dt.date, countries=None, budget: float | None = None) -> pd.DataFrame:
    """Per month end: cumulative spending (up to the as-of month), the linear plan
    ``B x elapsed`` and the forecast at the current pace ``S x elapsed / elapsed(d)``.

    Columns: ``month_end``, ``spent`` (None after the as-of month), ``plan``, ``forecast``
    (None before the as-of date; it starts at ``S`` on the as-of date and ends at the EAC).
    """
    monthly = query(conn, "spend_by_month", programme=prog.code, as_of=as_of, **country_params(countries))
    by_month = {int(y) * 100 + int(m): float(v) for y, m, v in monthly.itertuples(index=False)}
    if budget is None:
        budget = float(query(conn, "budget_lines_spent", programme=prog.code, as_of=as_of,
                             **country_params(countries))["amount_eur"].sum())
    share_now = mb.elapsed(prog.start, prog.end, as_of)
    spent_now = sum(by_month.values())
    # Spending dated before the programme start counts in its first month.
    early = sum(v for k, v in by_month.items() if k < month_key(prog.start))
    rows, running = [], early
    for day in month_ends(prog.start, prog.end):
        running += by_month.get(month_key(day), 0.0)
        share = mb.elapsed(prog.start, prog.end, day)
        rows.append({
            "month_end": day,
            "spent": running if month_key(day) <= month_key(as_of) else None,
            "plan": budget * share,
            "forecast": spent_now * share / share_now if share_now and day >= as_of else None,
        })
    frame = pd.DataFrame(rows)
    if share_now and prog.start <= as_of <= prog.end:  # the forecast starts at the as-of point
        start_point = pd.DataFrame([{"month_end": as_of, "spent": None, "plan": budget * share_now,
                                     "forecast": spent_now}])
        frame = pd.concat([frame, start_point]).sort_values("month_end", kind="stable").reset_index(drop=True)
    return frame


def cash_curve(conn, prog: Programme, as_of: dt.date) -> pd.DataFrame:
    """Per month up to the as-of date: cumulative spent, cumulative received, and the cash the
    organisation advances ``max(0, spent - received)`` (programme level)."""
    spent = query(conn, "spend_by_month", programme=prog.code, as_of=as_of, all_countries=1, countries=[])
    received = query(conn, "receipts_by_month", programme=prog.code, as_of=as_of)
    months = sorted({int(y) * 100 + int(m) for y, m, _ in spent.itertuples(index=False)}
                    | {int(y) * 100 + int(m) for y, m, _ in received.itertuples(index=False)})
    s = {int(y) * 100 + int(m): float(v) for y, m, v in spent.itertuples(index=False)}
    r = {int(y) * 100 + int(m): float(v) for y, m, v in received.itertuples(index=False)}
    rows, cum_s, cum_r = [], 0.0, 0.0
    for ym in months:
        cum_s += s.get(ym, 0.0)
        cum_r += r.get(ym, 0.0)
        rows.append({"month_end": min(_end_of_month(ym), as_of), "spent": cum_s, "received": cum_r,
                     "exposure": max(0.0, cum_s - cum_r)})
    return pd.DataFrame(rows, columns=["month_end", "spent", "received", "exposure"])


def _end_of_month(ym: int) -> dt.date:
    year, month = ym // 100, ym % 100
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def by_dimension(lines: pd.DataFrame, column: str) -> pd.DataFrame:
    """Budget and spent per country or category (lines are already aggregated per line)."""
    frame = lines.assign(**{column: lines[column].fillna("")}).groupby(column, as_index=False)[
        ["amount_eur", "spent_eur"]].sum()
    frame["execution"] = [mb.ratio(s, a) for s, a in zip(frame["spent_eur"], frame["amount_eur"])]
    return frame.sort_values("amount_eur", ascending=False, kind="stable").reset_index(drop=True)


#: Order of the budget-line table: what needs attention first.
LINE_STATUS_ORDER = {"over_budget": 0, "overspend": 1, "underspend": 2, "on_track": 3, "no_data": 4}


def line_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Budget lines sorted overspent and underspent first, then by amount."""
    order = lines["status"].map(LINE_STATUS_ORDER).fillna(9)
    return lines.assign(_order=order).sort_values(["_order", "amount_eur"], ascending=[True, False],
                                                   kind="stable").drop(columns="_order").reset_index(drop=True)


# --- funding ---------------------------------------------------------------------------------

def grants(conn, programme: str | None) -> pd.DataFrame:
    """Every grant of the programme (or organisation) with its funder; ``probability_used`` is
    the probability of prospects and submitted applications with the status default applied."""
    frame = query(conn, "grants_list", programme=programme or "", all_programmes=0 if programme else 1)
    default = {"prospect": 0.25, "submitted": 0.5}
    frame["probability_used"] = [
        (p if p is not None and p == p else default[s]) if s in default else None
        for s, p in zip(frame["status"], frame["probability"])]
    frame["weighted_eur"] = [a * p if p is not None else None for a, p in zip(frame["amount_eur"],
                                                                            frame["probability_used"])]
    frame["in_kind"] = frame["in_kind"].astype(bool)
    return frame


def budget_total(conn, programme: str | None) -> float:
    return float(query(conn, "budget_total", programme=programme or "",
                       all_programmes=0 if programme else 1)["budget_eur"].iloc[0])


def shares(conn, as_of: dt.date, programme: str | None, th: Thresholds = DEFAULT) -> tuple[pd.DataFrame, dict]:
    """Signed funding per funder with its share, and the concentration figures of METRICS.md."""
    signed = funding_by_funder(conn, as_of, programme)
    amounts = dict(zip(signed["funder_code"], signed["amount_eur"].astype(float)))
    types = dict(zip(signed["funder_code"], signed["funder_type"]))
    figures = mf.concentration(amounts, types, th)
    signed["share"] = [figures["by_funder"].get(code) for code in signed["funder_code"]]
    return signed.sort_values("amount_eur", ascending=False, kind="stable").reset_index(drop=True), figures


def yearly_trend(grant_frame: pd.DataFrame, as_of: dt.date, th: Thresholds = DEFAULT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(signed funding per signature year and funder type; HHI of the funding base at each year end).

    The funding base at a year end is every grant signed by then (capped at the as-of date), as
    METRICS.md defines it for any date. A programme has tens of grants: plain Python over them
    (pandas groupings cost milliseconds each at any size); sums are exact (``math.fsum``).
    """
    signed = [(d, ftype, code, float(amount)) for status, d, ftype, code, amount in
              zip(grant_frame["status"], grant_frame["signed_date"], grant_frame["funder_type"],
                  grant_frame["funder_code"], grant_frame["amount_eur"])
              if status == "signed" and d is not None and d == d and d <= as_of]
    if not signed:
        return (pd.DataFrame(columns=["year", "funder_type", "amount_eur"]),
                pd.DataFrame(columns=["year", "hhi", "effective_funders", "band"]))
    by_type: dict[tuple[int, str], list[float]] = {}
    for d, ftype, _code, amount in signed:
        if isinstance(ftype, str):  # a grouping leaves out a missing key
            by_type.setdefault((d.year, ftype), []).append(amount)
    per_type = pd.DataFrame([(year, ftype, math.fsum(amounts)) for (year, ftype), amounts in sorted(by_type.items())],
                            columns=["year", "funder_type", "amount_eur"])
    rows = []
    for year in range(min(d.year for d, *_ in signed), as_of.year + 1):
        end = min(dt.date(year, 12, 31), as_of)
        base: dict[str, list[float]] = {}
        for d, _ftype, code, amount in signed:
            if d <= end:
                base.setdefault(code, []).append(amount)
        index = mf.hhi({code: math.fsum(amounts) for code, amounts in base.items()})
        rows.append({"year": year, "hhi": index, "effective_funders": 1 / index if index else None,
                     "band": mf.band(index, th)})
    return per_type, pd.DataFrame(rows)


def signed_grants(grant_frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Grants signed by ``as_of`` that have an end date (the bars of the funding-cliff timeline)."""
    keep = [status == "signed" and signed is not None and signed <= as_of and end is not None
            for status, signed, end in zip(grant_frame["status"], grant_frame["signed_date"], grant_frame["end_date"])]
    return grant_frame[pd.Series(keep, index=grant_frame.index, dtype=bool)].copy()


def cliff(conn, programme: str | None, as_of: dt.date, th: Thresholds = DEFAULT) -> set[str]:
    """Codes of the signed grants ending within the cliff window with no signed successor."""
    return {g["code"] for g in ending_grants(conn, programme, as_of, th)}


def stress_test(amounts: dict[str, float], funder: str, budget: float) -> dict:
    """Coverage, gap and HHI if ``funder`` stopped (METRICS.md "stress test")."""
    return mf.without_funder(amounts, funder, budget)
