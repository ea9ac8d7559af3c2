"""Budget figures (METRICS.md "Budget")."""
from __future__ import annotations

import datetime as dt

from .thresholds import DEFAULT, Thresholds


def elapsed(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    """Share of the programme period elapsed at ``as_of``, clamped to [0, 1]."""
    return min(max((as_of - start).days / (end - start).days, 0.0), 1.0)


def ratio(numerator, denominator):
    """``numerator / denominator``, or None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def status(budget: float, spent: float, burn_index, elapsed_share: float, th: Thresholds = DEFAULT) -> str:
    """METRICS.md budget status: ``no_data`` (no budget), ``over_budget`` (spent more than the
    budget, whatever the pace), then the burn-index bands."""
    if not budget:
        return "no_data"
    if spent > budget:
        return "over_budget"
    if burn_index is not None and burn_index > th.overspend_burn:
        return "overspend"
    if burn_index is not None and burn_index < th.underspend_burn and elapsed_share >= th.underspend_min_elapsed:
        return "underspend"
    return "on_track"


def figures(budget: float, spent: float, elapsed_share: float, th: Thresholds = DEFAULT) -> dict:
    """budget, spent, execution, elapsed, burn_index, eac, vac, status."""
    execution = ratio(spent, budget)
    burn_index = ratio(execution, elapsed_share)
    eac = ratio(spent, elapsed_share)
    return {
        "budget": budget,
        "spent": spent,
        "execution": execution,
        "elapsed": elapsed_share,
        "burn_index": burn_index,
        "eac": eac,
        "vac": None if eac is None else budget - eac,
        "status": status(budget, spent, burn_index, elapsed_share, th),
    }


def funding_figures(budget: float, spent: float, funding_signed: float, received: float) -> dict:
    """Coverage, gap and cash exposure (programme level)."""
    return {
        "funding_signed": funding_signed,
        "coverage": ratio(funding_signed, budget),
        "gap": max(0.0, budget - funding_signed),
        "received": received,
        "cash_exposure": max(0.0, spent - received),
    }


def line_status(amount: float, spent: float, elapsed_share: float, th: Thresholds = DEFAULT) -> str:
    """A budget line's own status: the same rule as the programme's, over its own amount and spent
    (a line spent beyond its amount is ``over_budget``)."""
    return status(amount, spent, ratio(ratio(spent, amount), elapsed_share), elapsed_share, th)
