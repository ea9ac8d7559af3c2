"""An attacker's audit of published additive tables, independent of dashboard.disclosure: for
every hidden cell, every value consistent with the published figures, found by exhaustive search.

A cell is published as a number, or hidden as "< 5" (1 to 4) or "n.d." (anything from 5 up: the
attacker is assumed to know the rule, so a withheld cell is neither 0 nor a small count); "?" is
a figure the page does not publish (anything)."""
from __future__ import annotations


def domain(value, cap: int) -> list[int]:
    """The values a published cell may hide: "< 5" 1 to 4, "n.d." 5 and more, "?" (a figure the
    page does not publish at all) anything."""
    if value == "?":
        return list(range(0, cap + 1))
    if isinstance(value, str):
        return list(range(1, 5)) if value.startswith("<") else list(range(5, cap + 1))
    return [int(value)]


def feasible(cells: dict, relations: list[tuple], cap: int | None = None) -> dict:
    """Hidden cell -> the set of its values for which some assignment of all hidden cells
    satisfies every relation ``total == sum(members)``."""
    numbers = [v for v in cells.values() if not isinstance(v, str)]
    cap = cap or max([5, *numbers]) + 5
    hidden = [k for k, v in cells.items() if isinstance(v, str)]
    domains = {k: domain(v, cap) for k, v in cells.items()}

    def consistent(assigned: dict) -> bool:
        for total, members in relations:
            lo = hi = 0  # bounds of sum(members) - total
            for sign, key in [(-1, total)] + [(1, m) for m in members]:
                if key in assigned or not isinstance(cells[key], str):
                    v = assigned.get(key, domains[key][0])
                    lo += sign * v
                    hi += sign * v
                else:
                    d = domains[key]
                    lo += sign * (d[0] if sign > 0 else d[-1])
                    hi += sign * (d[-1] if sign > 0 else d[0])
            if lo > 0 or hi < 0:
                return False
        return True

    def search(order: list, assigned: dict) -> bool:
        if not consistent(assigned):
            return False
        if not order:
            return True
        first, rest = order[0], order[1:]
        return any(search(rest, {**assigned, first: v}) for v in domains[first])

    out = {}
    for k in hidden:
        others = [h for h in hidden if h != k]
        out[k] = {v for v in domains[k] if search(others, {k: v})}
    return out


def pinned(cells: dict, relations: list[tuple], cap: int | None = None) -> dict:
    """The hidden small cells ("< 5") the attacker can pin to one value: cell -> its value."""
    found = feasible(cells, relations, cap)
    assert all(found.values()), "the published figures contradict each other"
    return {k: next(iter(v)) for k, v in found.items()
            if isinstance(cells[k], str) and cells[k].startswith("<") and len(v) <= 1}
