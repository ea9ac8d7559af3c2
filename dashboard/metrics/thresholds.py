"""Thresholds that colour the figures (METRICS.md defaults). Pages show them next to the figures."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    overspend_burn: float = 1.10  # burn index above: overspend
    underspend_burn: float = 0.80  # burn index below (once a quarter of the time elapsed): underspend
    underspend_min_elapsed: float = 0.25
    hhi_diversified: float = 0.15  # below: diversified
    hhi_concentrated: float = 0.25  # above: concentrated
    pace_band: float = 0.15  # on track = within ±15 % of the expected value
    grant_cliff_months: int = 6  # grants ending within this many months with no successor
    small_cell: int = 5  # funder views show people counts below this as "< 5"


DEFAULT = Thresholds()
