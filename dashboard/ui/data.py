"""Cached access to the figures shared by the pages (the router's lists, ``kpis``, the overview's
grid and alerts); each page's own model is cached in :mod:`dashboard.ui.pages`.

``st.cache_resource`` holds the engine; :func:`cached` (``st.cache_data`` underneath) holds query
results and page models, keyed by their plain arguments **and the database's data version**: every
write of data, by any process (the app, the command line, another app server), bumps that version
in its own transaction (:func:`dashboard.db.bump_data_version`), and each run of the app reads it
once (:func:`sync_version`). A cached figure is therefore never older than the last committed write,
and the ttl only bounds memory.
"""
from __future__ import annotations

import datetime as dt
import functools
import inspect
import logging
import threading
import time

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from .. import alerts as al
from .. import grid
from .. import kpis as k
from ..bootstrap import ensure_database, is_demo_mode
from ..db import make_engine, query, read_data_version, records

TTL = 24 * 3600  # seconds: entries of older data versions are never read again; this frees them
MAX_ENTRIES = 512  # per cached function: bounds the memory of a long-running server
VERSION_KEY = "data_version"


@st.cache_resource(show_spinner=False)
def engine():
    eng = make_engine()
    ensure_database(eng)  # first start: create the SQLite file and load the demo
    return eng


def clear() -> None:
    """Forget every cached query result (not needed for freshness: a write changes the data
    version; this frees the memory of the older entries at once in the writing process)."""
    st.cache_data.clear()


def sync_version() -> int:
    """Read the data version (one primary-key read) for this run of the app; the router calls it
    first, so every cached function of this run is keyed by the same, current version."""
    version = read_data_version(engine())
    if get_script_run_ctx() is not None:
        st.session_state[VERSION_KEY] = version
    return version


def current_version() -> int:
    """The data version of this run (read once by the router), else read now (outside a run)."""
    if get_script_run_ctx() is not None and VERSION_KEY in st.session_state:
        return st.session_state[VERSION_KEY]
    return read_data_version(engine())


def cached(fn):
    """``st.cache_data`` keyed by ``fn``'s arguments and the current data version.

    The cached function takes the version as an extra first argument; its cache key is made from
    ``fn``'s module, name and source (``functools.wraps``), so each decorated function keeps a
    cache of its own, renewed when its code changes.
    """
    @functools.wraps(fn)
    def at_version(version, *args, **kwargs):
        return fn(*args, **kwargs)

    signature = inspect.signature(fn)
    at_version.__signature__ = signature.replace(parameters=[
        inspect.Parameter("version", inspect.Parameter.POSITIONAL_OR_KEYWORD), *signature.parameters.values()])
    store = st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)(at_version)

    @functools.wraps(fn)
    def lookup(*args, **kwargs):
        return store(current_version(), *args, **kwargs)

    def prefetch(*args, **kwargs) -> None:
        """Start computing ``fn(*args, **kwargs)`` for this run's data version in a worker thread,
        and return at once; see :func:`_prefetch`."""
        _prefetch(store, current_version(), *args, **kwargs)

    lookup.clear = store.clear
    lookup.prefetch = prefetch
    return lookup


_log = logging.getLogger(__name__)
#: Prefetches running at once in this server process. Beyond that (a busy server) a prefetch is
#: not started: the page's own call computes the figure, as without prefetching.
MAX_PREFETCHES = 4
_SLOTS = threading.BoundedSemaphore(MAX_PREFETCHES)


def _prefetch(store, *args, **kwargs) -> None:
    """Call ``store`` (a ``st.cache_data`` function) in a new thread, so that a page computes two
    independent figures at once (the database works, or the SQLite driver, outside the GIL, while
    the page builds the other). The page's own call later finds the value cached, or waits for it:
    Streamlit computes one cache key at a time (its per-key compute lock), so the work is never
    done twice. The thread gets the run's script context from the script thread before it starts
    (``add_script_run_ctx``, Streamlit's documented way for an app's threads), so that the cached
    calls it makes read this run's data version from the session; it draws nothing and ends with
    its figure. A failure is left to the page's own call to raise and show."""
    if not _SLOTS.acquire(blocking=False):
        return

    def work() -> None:
        try:
            store(*args, **kwargs)
        except Exception:  # noqa: BLE001 - the page's own call raises it again, in the page
            _log.debug("prefetch failed", exc_info=True)
        finally:
            _SLOTS.release()

    thread = threading.Thread(target=work, name="dashboard-prefetch", daemon=True)
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        add_script_run_ctx(thread, ctx)
    try:
        thread.start()
    except RuntimeError:  # no thread to be had: the page computes the figure itself
        _SLOTS.release()


def prefetches_done(timeout: float = 60.0) -> bool:
    """Wait until no prefetch runs (False after ``timeout`` seconds). For the tests: a prefetch
    whose page stopped before asking for its figure (an error shown) would otherwise store it in
    the cache after the next test has cleared it, under a key that test may ask for."""
    deadline = time.monotonic() + timeout
    held = 0
    try:
        while held < MAX_PREFETCHES:
            if not _SLOTS.acquire(timeout=max(deadline - time.monotonic(), 0)):
                return False
            held += 1
        return True
    finally:
        for _ in range(held):
            _SLOTS.release()


@cached
def is_demo() -> bool:
    """Demo mode as the database records it. Cached by data version: every write that ends it
    (an import, ``users add`` from the command line, an edit) bumps the version in its own
    transaction, so the app sees the end at its next run."""
    return is_demo_mode(engine())


@cached
def programmes(codes: frozenset[str] | None = None) -> pd.DataFrame:
    """Programmes, restricted in SQL to ``codes`` unless None (every programme)."""
    with engine().connect() as conn:
        return query(conn, "programmes", all_programmes=1 if codes is None else 0, programmes=sorted(codes or ()))


@cached
def programme(code: str) -> k.Programme:
    with engine().connect() as conn:
        return k.get_programme(conn, code)


@cached
def default_as_of(code: str) -> dt.date:
    """The pages' default as-of date: the ``kpis`` default (METRICS.md: the latest dated fact, never
    later than today), but never later than the programme's end (docs/METRICS.md, Precision 1):
    once a programme has ended, its pages open on its last day, not on a late receipt."""
    with engine().connect() as conn:
        return page_default(k.default_as_of(conn, code), k.get_programme(conn, code).end)


def page_default(kpis_default: dt.date, end: dt.date) -> dt.date:
    """The pages' rule (:func:`default_as_of`) from the ``kpis`` default and the programme's end."""
    return min(kpis_default, end)


@cached
def countries_of(code: str) -> list[str]:
    """Countries the programme works in (budget lines, sessions, targets, measurements)."""
    with engine().connect() as conn:
        return sorted(query(conn, "programme_countries", programme=code)["country_iso3"])


@cached
def kpis(code: str, as_of: dt.date, countries: tuple[str, ...] = ()) -> dict:
    # the budget lines through their own cache: the alerts read them too
    lines = budget_lines(code, as_of, countries) if as_of is not None else None
    with engine().connect() as conn:
        return k.compute_kpis(conn, code, as_of, list(countries) or None, lines=lines)


@cached
def budget_lines(code: str, as_of: dt.date, countries: tuple[str, ...] = ()) -> pd.DataFrame:
    with engine().connect() as conn:
        return k.budget_lines(conn, k.get_programme(conn, code), as_of, list(countries) or None)


@cached
def indicator_labels(code: str) -> dict[str, str]:
    with engine().connect() as conn:
        return {r["code"]: r["label"] for r in records(query(conn, "indicators", programme=code))}


@cached
def alerts(code: str, as_of: dt.date, countries: tuple[str, ...] = ()) -> list[dict]:
    with engine().connect() as conn:
        figures = kpis(code, as_of, countries)
        lines = budget_lines(code, as_of, countries)
        return al.alerts(conn, figures, lines, indicator_labels(code), as_of, list(countries))


@cached
def default_as_of_many(codes: tuple[str, ...]) -> dict[str, dt.date]:
    """:func:`default_as_of` of each programme, in two queries whatever their number."""
    ends = {r["code"]: k.to_date(r["end_date"]) for r in records(programmes(frozenset(codes)))}
    with engine().connect() as conn:
        latest = k.default_as_of_many(conn, codes)
    return {code: page_default(latest[code], ends[code]) for code in latest}


@cached
def status_grid(codes: tuple[str, ...], as_of: dt.date | None, budget: bool = False) -> list[dict]:
    """Programme x country cells: progress and, with ``budget``, budget status, execution and burn
    index; with the date the cell is read at (``as_of``).

    Each programme is read at ``as_of`` when given, else at its own default as-of date; the figures
    are those of ``kpis``' ``countries`` block, from grouped queries (:mod:`dashboard.grid`): the
    number of queries does not grow with the number of programmes. The budget figures need every
    expenditure of every programme: they are read only when the grid shows one.
    """
    if not codes:
        return []
    dates = {code: as_of for code in codes} if as_of else default_as_of_many(tuple(codes))
    if not dates:
        return []
    when = tuple(sorted(dates.items()))
    for kinds in COMPUTED_PARTS:  # the grid's largest query, in two parts, beside its other queries
        grid_computed.prefetch(when, kinds)
    with engine().connect() as conn:
        read = grid.aggregates(conn, dates, spent=budget, people=False)
    # the parts, waited for (or computed) with no connection held meanwhile
    counted = {key: figure for kinds in COMPUTED_PARTS for key, figure in grid_computed(when, kinds).items()}
    blocks = grid.blocks_from(read, counted)
    keys = ("progress", "status", "execution", "burn_index") if budget else ("progress",)
    return [{"programme": code, "country": country, "as_of": dates[code], **{key: c[key] for key in keys}}
            for code in sorted(blocks) for country, c in blocks[code].items()]


#: The grid's computed indicators in two parts of about the same cost (a distinct count over the
#: attendance each; sessions read none), read at once on two connections.
COMPUTED_PARTS = (("participants",), ("organisations", "sessions"))


@cached
def grid_computed(when: tuple[tuple[str, dt.date], ...], kinds: tuple[str, ...]) -> dict[tuple[str, str, str], float]:
    """:func:`dashboard.grid.computed_figures` of the programmes of ``when`` ((code, as-of date)
    pairs) for ``kinds``: cached apart, so that :func:`status_grid` reads its parts in parallel
    with each other and with its other queries."""
    with engine().connect() as conn:
        return grid.computed_figures(conn, dict(when), kinds)


@cached
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
