"""Training reach (METRICS.md "Training reach") and small-cell suppression for funder views."""
from __future__ import annotations

from .thresholds import DEFAULT, Thresholds


def sex_shares(by_sex: dict[str, int]) -> tuple[float | None, float | None]:
    """(women_share, unknown_sex_share) from distinct participants per sex ('' = unknown)."""
    known = sum(n for sex, n in by_sex.items() if sex in ("F", "M", "X"))
    total = sum(by_sex.values())
    women = by_sex.get("F", 0) / known if known else None
    unknown = by_sex.get("", 0) / total if total else None
    return women, unknown


def suppress(count, th: Thresholds = DEFAULT):
    """A count of people as a funder may see it: 1 to 4 become "< 5" (0 stays 0)."""
    if count is None or count == 0 or count >= th.small_cell:
        return count
    return f"< {th.small_cell}"


def is_suppressed(count, th: Thresholds = DEFAULT) -> bool:
    return count is not None and 0 < count < th.small_cell


def suppressed_share(numerator, denominator, th: Thresholds = DEFAULT):
    """A share of people, left out (None) when either count is a small cell."""
    if is_suppressed(numerator, th) or is_suppressed(denominator, th) or not denominator:
        return None
    return numerator / denominator
