"""The Synthèse grid: the ``countries`` block of ``kpis`` (METRICS.md Precision 7) of many
programmes at once, each programme at its own as-of date, from a fixed number of grouped queries
(GROUP BY programme, country) whatever the number of programmes.

The figures are those of :func:`dashboard.kpis.country_summaries`: the same pure functions
(:func:`dashboard.kpis.rows_from`, :func:`dashboard.kpis.country_figures`) turn the grouped
aggregates into indicator rows and country figures; only the SQL is grouped.
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


def country_blocks(conn, as_of: dict[str, dt.date], th: Thresholds = DEFAULT) -> dict[str, dict[str, dict]]:
    """``{programme: {ISO3: figures}}``: for each programme of ``as_of`` (code -> as-of date), the
    ``countries`` block :func:`dashboard.kpis.compute_kpis` gives at that date. Seven queries."""
    codes = sorted(as_of)
    if not codes:
        return {}
    dates = Rows((code, as_of[code]) for code in codes)
    progs = records(query(conn, "programmes", all_programmes=0, programmes=codes))
    budget = _by_programme(query(conn, "grid_budget", asof=dates))
    people = _by_programme(query(conn, "grid_people", asof=dates))
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
            return {(ind.code, c): float((computed.get((code, ind.code, c)) or {}).get(ind.computed_from) or 0)
                    for c in countries if c}

        rows = k.rows_from(prog, when, defs.get(code, []), targets.get(code, []), measured.get(code, []),
                           figures_of, th, countries_only=True)
        money = {r["country_iso3"]: (float(r["amount_eur"]), float(r["spent_eur"])) for r in budget.get(code, [])}
        reached = {r["country_iso3"]: int(r["participants"]) for r in people.get(code, [])}
        countries = ({c for c in money if c} | {c for c in reached if c} | {r["country"] for r in rows})
        share = mb.elapsed(prog.start, prog.end, when)
        result[code] = {
            c: k.country_figures(*money.get(c, (0.0, 0.0)), share, reached.get(c, 0),
                                 [r for r in rows if r["country"] == c], th)
            for c in sorted(countries)}
    return result
