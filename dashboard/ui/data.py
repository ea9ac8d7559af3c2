"""Cached access to the figures shared by the pages (the router's lists, ``kpis``, the overview's
grid and alerts); each page's own model is cached in :mod:`dashboard.ui.pages`.

``st.cache_resource`` holds the engine; ``st.cache_data`` with a ttl holds query results (small
DataFrames and dicts), keyed by their plain arguments. :func:`clear` runs after every write.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import alerts as al
from .. import kpis as k
from ..bootstrap import ensure_database, is_demo_mode
from ..db import make_engine, query, records

TTL = 600  # seconds: data entered by someone else shows up within 10 minutes, ours at once


@st.cache_resource(show_spinner=False)
def engine():
    eng = make_engine()
    ensure_database(eng)  # first start: create the SQLite file and load the demo
    return eng


def clear() -> None:
    """Forget every cached query result (call after any write)."""
    st.cache_data.clear()


@st.cache_data(ttl=TTL, show_spinner=False)
def is_demo() -> bool:
    return is_demo_mode(engine())


@st.cache_data(ttl=TTL, show_spinner=False)
def programmes(codes: frozenset[str] | None = None) -> pd.DataFrame:
    """Programmes, restricted in SQL to ``codes`` unless None (every programme)."""
    with engine().connect() as conn:
        return query(conn, "programmes", all_programmes=1 if codes is None else 0, programmes=sorted(codes or ()))


@st.cache_data(ttl=TTL, show_spinner=False)
def programme(code: str) -> k.Programme:
    with engine().connect() as conn:
        return k.get_programme(conn, code)


@st.cache_data(ttl=TTL, show_spinner=False)
def default_as_of(code: str) -> dt.date:
    with engine().connect() as conn:
        return k.default_as_of(conn, code)


@st.cache_data(ttl=TTL, show_spinner=False)
def countries_of(code: str) -> list[str]:
    """Countries the programme works in (budget lines, sessions, targets, measurements)."""
    with engine().connect() as conn:
        return sorted(query(conn, "programme_countries", programme=code)["country_iso3"])


@st.cache_data(ttl=TTL, show_spinner=False)
def kpis(code: str, as_of: dt.date, countries: tuple[str, ...] = ()) -> dict:
    with engine().connect() as conn:
        return k.compute_kpis(conn, code, as_of, list(countries) or None)


@st.cache_data(ttl=TTL, show_spinner=False)
def budget_lines(code: str, as_of: dt.date, countries: tuple[str, ...] = ()) -> pd.DataFrame:
    with engine().connect() as conn:
        return k.budget_lines(conn, k.get_programme(conn, code), as_of, list(countries) or None)


@st.cache_data(ttl=TTL, show_spinner=False)
def indicator_labels(code: str) -> dict[str, str]:
    with engine().connect() as conn:
        return {r["code"]: r["label"] for r in records(query(conn, "indicators", programme=code))}


@st.cache_data(ttl=TTL, show_spinner=False)
def alerts(code: str, as_of: dt.date, countries: tuple[str, ...] = ()) -> list[dict]:
    with engine().connect() as conn:
        figures = kpis(code, as_of, countries)
        lines = budget_lines(code, as_of, countries)
        return al.alerts(conn, figures, lines, indicator_labels(code), as_of, list(countries))


@st.cache_data(ttl=TTL, show_spinner=False)
def country_block(code: str, as_of: dt.date) -> dict:
    """The ``countries`` block of ``kpis`` alone (the grid needs neither the training nor the
    funding block): the same functions as :func:`dashboard.kpis.compute_kpis`, fewer queries."""
    with engine().connect() as conn:
        prog = k.get_programme(conn, code)
        return k.country_summaries(conn, prog, as_of, k.indicator_rows(conn, prog, as_of))


@st.cache_data(ttl=TTL, show_spinner=False)
def status_grid(codes: tuple[str, ...], as_of: dt.date | None) -> list[dict]:
    """Programme x country cells: budget status, execution, burn index and progress.

    Each programme is read at ``as_of`` when given, else at its own default as-of date.
    """
    cells = []
    for code in codes:
        when = as_of or default_as_of(code)
        for country, c in country_block(code, when).items():
            cells.append({"programme": code, "country": country, **{key: c[key] for key in (
                "status", "execution", "burn_index", "progress", "participants")}})
    return cells


@st.cache_data(ttl=TTL, show_spinner=False)
def own_grant_codes(funder_code: str | None) -> frozenset[str]:
    with engine().connect() as conn:
        return frozenset(query(conn, "funder_grants", funder=funder_code or "")["code"])


@st.cache_data(ttl=TTL, show_spinner=False)
def people_table(code: str, as_of: dt.date) -> dict:
    """The states of the programme's people tables for a funder (:func:`dashboard.disclosure.programme_table`)."""
    from .. import disclosure
    from .. import training as tr

    with engine().connect() as conn:
        counts = disclosure.people_counts(conn, code, as_of)
        return disclosure.programme_table(counts, tr.breakdowns(conn, code, as_of))


@st.cache_data(ttl=TTL, show_spinner=False)
def view_total(code: str, as_of: dt.date, countries: tuple[str, ...]) -> str | None:
    """The state of the people total of a selection of countries, as the training page decides it
    (:func:`dashboard.disclosure.view_table`)."""
    from .. import disclosure
    from .. import training as tr

    table = people_table(code, as_of)
    if not countries:
        return table[disclosure.TOTAL]
    with engine().connect() as conn:
        found = tr.breakdowns(conn, code, as_of, list(countries))
        total = int(query(conn, "training_totals", programme=code, as_of=as_of,
                          **k.country_params(list(countries)))["participants"].iloc[0])
    return disclosure.view_table(table, countries, total, found)[disclosure.TOTAL]


@st.cache_data(ttl=TTL, show_spinner=False)
def computed_from(code: str) -> dict[str, str | None]:
    """Indicator code -> what it is computed from (``participants``, ``sessions``, ... or None)."""
    with engine().connect() as conn:
        return {r["code"]: r["computed_from"] for r in records(query(conn, "indicators", programme=code))}
