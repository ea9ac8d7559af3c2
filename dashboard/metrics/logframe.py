"""Logframe progress (METRICS.md "Logframe progress").

One indicator row per country (and one regional row) with a target or a measurement; a roll-up
row for indicators with country targets; statuses by pace against the value expected by now.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .thresholds import DEFAULT, Thresholds

NON_REPORTING = "non_reporting"
NOT_DUE = "not_due"
STATUSES = ("ahead", "on_track", "behind", NOT_DUE, NON_REPORTING)
#: "E = b" and "T = b" are compared within this tolerance: a roll-up sums equal baselines, and
#: floating-point sums must not turn "nothing due yet" into a meaningless pace.
EPSILON = 1e-9


@dataclass(frozen=True)
class Indicator:
    code: str
    logframe_code: str
    unit: str = "count"
    direction: str = "increase"
    aggregation: str = "sum"
    baseline: float = 0.0
    computed_from: str | None = None


def expected(start: dt.date, baseline: float, milestones: list[tuple[dt.date, float]], as_of: dt.date):
    """Piecewise-linear interpolation through ``(start, baseline)`` and the milestones, at ``as_of``.

    None without milestones; the final target after the last milestone; the baseline up to start.
    """
    if not milestones:
        return None
    points = sorted(milestones)
    if as_of <= start:
        return baseline
    if as_of >= points[-1][0]:
        return points[-1][1]
    prev_date, prev_value = start, baseline
    for date, value in points:
        if as_of < date and date > start:
            share = (as_of - prev_date).days / (date - prev_date).days
            return prev_value + (value - prev_value) * share
        prev_date, prev_value = date, value
    return points[-1][1]  # unreachable: as_of < last milestone


def _gain(direction: str, baseline: float, value: float) -> float:
    return value - baseline if direction == "increase" else baseline - value


def evaluate(ind: Indicator, baseline, target, expected_value, actual, th: Thresholds = DEFAULT) -> dict:
    """baseline, target, expected, actual, achievement, pace and status of one row."""
    row = {"baseline": baseline, "target": target, "expected": expected_value,
           "actual": None, "achievement": None, "pace": None}
    if target is None or actual is None:
        return {**row, "status": NON_REPORTING}
    row["actual"] = actual
    if abs(target - baseline) > EPSILON:
        row["achievement"] = _gain(ind.direction, baseline, actual) / _gain(ind.direction, baseline, target)
    if abs(expected_value - baseline) <= EPSILON:
        return {**row, "status": NOT_DUE}
    pace = _gain(ind.direction, baseline, actual) / _gain(ind.direction, baseline, expected_value)
    row["pace"] = pace
    if pace > 1 + th.pace_band:
        status = "ahead"
    elif pace < 1 - th.pace_band:
        status = "behind"
    else:
        status = "on_track"
    return {**row, "status": status}


def country_row(ind: Indicator, start: dt.date, as_of: dt.date, milestones: list[tuple[dt.date, float]],
                figure, th: Thresholds = DEFAULT) -> dict:
    """A country (or regional) row.

    ``figure`` is what the data says by ``as_of``: for a ``sum`` indicator the sum of the
    measurement values, for ``latest`` the latest value, for a computed one the count; None when
    there is no measurement.
    """
    b = ind.baseline
    target = max(milestones)[1] if milestones else None
    if figure is None:
        actual = None
    elif ind.aggregation == "latest" and not ind.computed_from:
        actual = figure
    else:
        actual = b + figure
    return evaluate(ind, b, target, expected(start, b, milestones, as_of), actual, th)


def rollup_row(ind: Indicator, country_rows: list[dict], th: Thresholds = DEFAULT) -> dict:
    """The programme roll-up of an indicator's country rows (sums, or means for ``percent``)."""
    reporting = [r for r in country_rows if r["status"] != NON_REPORTING]
    pool = reporting or [r for r in country_rows if r["target"] is not None]
    if not pool:
        return evaluate(ind, ind.baseline, None, None, None, th)
    n = len(pool)
    mean = ind.unit == "percent"

    def combine(key):
        total = sum(r[key] for r in pool)
        return total / n if mean else total

    baseline = ind.baseline if mean else ind.baseline * n
    if not reporting:
        return evaluate(ind, baseline, combine("target"), combine("expected"), None, th)
    return evaluate(ind, baseline, combine("target"), combine("expected"), combine("actual"), th)


def progress(rows: list[dict]):
    """Mean of clamp(achievement, 0, 1) over rows that report, are due, and have an achievement."""
    values = [min(max(r["achievement"], 0.0), 1.0) for r in rows
              if r["status"] not in (NON_REPORTING, NOT_DUE) and r["achievement"] is not None]
    return sum(values) / len(values) if values else None


def descendants(nodes: dict[str, str | None], root: str) -> list[str]:
    """``root`` and every logframe code below it; ``nodes`` maps code -> parent code."""
    children: dict[str, list[str]] = {}
    for code, parent in nodes.items():
        if parent:
            children.setdefault(parent, []).append(code)
    found, stack = [], [root]
    while stack:
        code = stack.pop()
        if code in found:
            continue
        found.append(code)
        stack.extend(children.get(code, []))
    return sorted(found)
