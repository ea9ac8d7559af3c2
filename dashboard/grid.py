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
from dataclasses import dataclass

from . import kpis as k
from .db import Rows, query, records
from .importer.spec import COMPUTED_FROM
from .metrics import budget as mb
from .metrics.thresholds import DEFAULT, Thresholds


def _by_programme(frame) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for r in records(frame):
        found.setdefault(r["programme_code"], []).append(r)
    return found


def computed_figures(conn, as_of: dict[str, dt.date],
                     kinds: tuple[str, ...] = COMPUTED_FROM) -> dict[tuple[str, str, str], float]:
    """``{(programme, indicator, ISO3): figure}``: the computed indicators of the programmes of
    ``as_of`` (code -> as-of date) that count one of ``kinds``, per country (grid_computed.sql); a
    missing key is 0. Each kind's distinct count reads the attendance apart: two calls with
    disjoint ``kinds`` on two connections give the same figures in about half the time."""
    dates = Rows((code, as_of[code]) for code in sorted(as_of))
    return {(r["programme_code"], r["indicator_code"], r["country_iso3"]): float(r["figure"] or 0)
            for r in records(query(conn, "grid_computed", asof=dates, kinds=list(kinds)))}


@dataclass(frozen=True)
class Aggregates:
    """What the grouped queries return for the programmes of ``as_of``, but the computed
    indicators' figures (:func:`computed_figures`, read apart); see :func:`country_blocks`."""
    as_of: dict[str, dt.date]
    spent: bool
    people: bool
    programmes: list[dict]
    budget: dict[str, list[dict]]
    used: dict[str, list[dict]]
    held: dict[str, list[dict]]
    indicators: dict[str, list[dict]]
    targets: dict[str, list[dict]]
    measured: dict[str, list[dict]]


def aggregates(conn, as_of: dict[str, dt.date], spent: bool = True, people: bool = True) -> Aggregates:
    """The grouped queries of :func:`country_blocks` but grid_computed, whose figures a caller may
    read on other connections at the same time (:func:`computed_figures` with parts of the kinds)."""
    codes = sorted(as_of)
    dates = Rows((code, as_of[code]) for code in codes)
    return Aggregates(
        as_of=dict(as_of), spent=spent, people=people,
        programmes=records(query(conn, "programmes", all_programmes=0, programmes=codes)),
        budget=_by_programme(query(conn, "grid_budget", asof=dates)),
        used=_by_programme(query(conn, "grid_spent", asof=dates)) if spent else {},
        held=_by_programme(query(conn, "grid_people" if people else "grid_sessions", asof=dates)),
        indicators=_by_programme(query(conn, "grid_indicators", programmes=codes)),
        targets=_by_programme(query(conn, "grid_targets", programmes=codes)),
        measured=_by_programme(query(conn, "grid_measurements", asof=dates)))


def country_blocks(conn, as_of: dict[str, dt.date], th: Thresholds = DEFAULT, spent: bool = True,
                   people: bool = True) -> dict[str, dict[str, dict]]:
    """``{programme: {ISO3: figures}}``: for each programme of ``as_of`` (code -> as-of date), the
    ``countries`` block :func:`dashboard.kpis.compute_kpis` gives at that date.

    Without ``spent`` the budget figures are left out (``spent``, ``execution``, ``burn_index`` and
    ``status`` are None): the query that reads every expenditure of every programme is not run.
    Without ``people``, ``participants`` is None (no read of the attendance)."""
    if not as_of:
        return {}
    return blocks_from(aggregates(conn, as_of, spent, people), computed_figures(conn, as_of), th)


def blocks_from(read: Aggregates, counted: dict[tuple[str, str, str], float],
                th: Thresholds = DEFAULT) -> dict[str, dict[str, dict]]:
    """:func:`country_blocks` from its queries' results: ``read`` (:func:`aggregates`) and
    ``counted`` (:func:`computed_figures` of the same programmes and dates, every kind)."""
    as_of, spent, people = read.as_of, read.spent, read.people
    result: dict[str, dict[str, dict]] = {}
    for p in read.programmes:
        code, when = p["code"], as_of[p["code"]]
        prog = k.Programme(code, p["name"], k.to_date(p["start_date"]), k.to_date(p["end_date"]),
                           p["lead_organisation"])

        def figures_of(ind, countries, code=code):
            return {(ind.code, c): counted.get((code, ind.code, c), 0.0) for c in countries if c}

        rows = k.rows_from(prog, when, read.indicators.get(code, []), read.targets.get(code, []),
                           read.measured.get(code, []), figures_of, th, countries_only=True)
        amounts = {r["country_iso3"]: float(r["amount_eur"]) for r in read.budget.get(code, [])}
        spending = {r["country_iso3"]: float(r["spent_eur"]) for r in read.used.get(code, [])}
        reached = {r["country_iso3"]: int(r["participants"]) if people else None for r in read.held.get(code, [])}
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
