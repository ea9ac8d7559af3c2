"""Funding diversification (METRICS.md "Funding diversification")."""
from __future__ import annotations

from .thresholds import DEFAULT, Thresholds


def band(hhi, th: Thresholds = DEFAULT):
    if hhi is None:
        return None
    if hhi < th.hhi_diversified:
        return "diversified"
    if hhi <= th.hhi_concentrated:
        return "moderate"
    return "concentrated"


def hhi(amounts: dict[str, float]):
    """Herfindahl-Hirschman index of the shares of ``amounts`` (None when they sum to 0)."""
    total = sum(amounts.values())
    if not total:
        return None
    return sum((a / total) ** 2 for a in amounts.values())


def concentration(amounts: dict[str, float], types: dict[str, str], th: Thresholds = DEFAULT) -> dict:
    """Shares, HHI, effective number of funders, band and top shares of signed funding.

    ``amounts``: EUR per funder code; ``types``: funder code -> funder type.
    """
    total = sum(amounts.values())
    if not total:
        return {"total_signed": total, "hhi": None, "effective_funders": None, "band": None,
                "top_funder": None, "top_share": None, "top3_share": None, "by_funder": {}, "by_type": {}}
    shares = {code: a / total for code, a in amounts.items()}
    by_type: dict[str, float] = {}
    for code, share in shares.items():
        by_type[types[code]] = by_type.get(types[code], 0.0) + share
    index = sum(v * v for v in shares.values())
    ranked = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))  # ties: smallest code first
    return {
        "total_signed": total,
        "hhi": index,
        "effective_funders": 1 / index,
        "band": band(index, th),
        "top_funder": ranked[0][0],
        "top_share": ranked[0][1],
        "top3_share": sum(v for _, v in ranked[:3]),
        "by_funder": dict(sorted(shares.items())),
        "by_type": dict(sorted(by_type.items())),
    }


def without_funder(amounts: dict[str, float], funder: str, budget: float) -> dict:
    """Stress test: the funding base without ``funder`` (signed total, coverage, gap, HHI)."""
    rest = {code: a for code, a in amounts.items() if code != funder}
    total = sum(rest.values())
    return {
        "funding_signed": total,
        "coverage": total / budget if budget else None,
        "gap": max(0.0, budget - total),
        "hhi": hhi(rest),
    }
