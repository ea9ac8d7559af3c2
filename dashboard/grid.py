"""The Synthèse grid: the ``countries`` block of ``kpis`` (METRICS.md Precision 7) of many
programmes at once, each programme at its own as-of date, from a fixed number of grouped queries
(GROUP BY programme, country) whatever the number of programmes.

The figures are those of :func:`dashboard.kpis.country_summaries`: the same pure functions
(:func:`dashboard.kpis.rows_from`, :func:`dashboard.kpis.country_figures`) turn the grouped
aggregates into indicator rows and country figures; only the SQL is grouped. The grid asks for
the spent only when it shows a budget figure (that query reads every expenditure).
"""
from __future__ import annotations

import datetime as dt

from . import kpis as k
from .db import Rows, query, records
from .metrics import budget as mb
from .metrics.thresholds import DEFAULT, Thresholds


def _by_programme(frame) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for r in records(frame):
        found.setdefault(r["programme_code"], []).append(r)
    return found


def country_blocks(conn, as_of: dict[str, dt.date], th: Thresholds = DEFAULT, spent: bool = True,
                   people: bool = True) -> dict[str, dict[str, dict]]:
    """``{programme: {ISO3: figures}}``: for each programme of ``as_of`` (code -> as-of date), the
    ``countries`` block :func:`dashboard.kpis.compute_kpis` gives at that date.

    Without ``spent`` the budget figures are left out (``spent``, ``execution``, ``burn_index`` and
    ``status`` are None): the query that reads every expenditure of every programme is not run.
    Without ``people``, ``participants`` is None (no read of the attendance)."""
    codes = sorted(as_of)
    if not codes:
        return {}
    dates = Rows((code, as_of[code]) for code in codes)
    progs = records(query(conn, "programmes", all_programmes=0, programmes=codes))
    budget = _by_programme(query(conn, "grid_budget", asof=dates))
    used = _by_programme(query(conn, "grid_spent", asof=dates)) if spent else {}
    held = _by_programme(query(conn, "grid_people" if people else "grid_sessions", asof=dates))
    defs = _by_programme(query(conn, "grid_indicators", programmes=codes))
    targets = _by_programme(query(conn, "grid_targets", programmes=codes))
    measured = _by_programme(query(conn, "grid_measurements", asof=dates))
    computed = {(r["programme_code"], r["indicator_code"], r["country_iso3"]): r
                for r in records(query(conn, "grid_computed", asof=dates))}

    result: dict[str, dict[str, dict]] = {}
    for p in progs:
        code, when = p["code"], as_of[p["code"]]
        prog = k.Programme(code, p["name"], k.to_date(p["start_date"]), k.to_date(p["end_date"]),
                           p["lead_organisation"])

        def figures_of(ind, countries, code=code):
            return {(ind.code, c): float((computed.get((code, ind.code, c)) or {}).get("figure") or 0)
                    for c in countries if c}

        rows = k.rows_from(prog, when, defs.get(code, []), targets.get(code, []), measured.get(code, []),
                           figures_of, th, countries_only=True)
        amounts = {r["country_iso3"]: float(r["amount_eur"]) for r in budget.get(code, [])}
        spending = {r["country_iso3"]: float(r["spent_eur"]) for r in used.get(code, [])}
        reached = {r["country_iso3"]: int(r["participants"]) if people else None for r in held.get(code, [])}
        countries = {c for c in amounts if c} | {c for c in reached if c} | {r["country"] for r in rows}
        share = mb.elapsed(prog.start, prog.end, when)
        result[code] = {}
        for c in sorted(countries):
            figures = k.country_figures(amounts.get(c, 0.0), spending.get(c, 0.0), share,
                                        reached.get(c, 0 if people else None),
                                        [r for r in rows if r["country"] == c], th)
            if not spent:
                figures.update(spent=None, execution=None, burn_index=None, status=None)
            result[code][c] = figures
    return result
