"""Strings of the metric definitions (budget status ``over_budget``)."""
from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # METRICS.md: over_budget = spent more than the budget, whatever the pace (red).
    "status.over_budget": {"fr": "budget dépassé", "en": "over budget"},
}
