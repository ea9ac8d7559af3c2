"""Figures computed ahead in a worker thread (``cached(...).prefetch``, issue #17: the overview's
30-programme grid is computed while its headline figures are): computed once whoever asks first,
an error left for the page to show, the run's session context handed to the worker, and the overview really
computing its grid's largest query in a worker, with the same figures; a bounded number at once."""
from __future__ import annotations

import threading

import pytest
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from apptest import database, open_page
from dashboard import grid
from dashboard.db import QueryError
from dashboard.ui import data
from workbooks import good_workbook


@pytest.fixture(autouse=True)
def fixed_version(monkeypatch):
    """The data version of a run, without a database (outside a run it is read from one)."""
    monkeypatch.setattr(data, "current_version", lambda: 7)
    yield
    st.cache_data.clear()


def test_a_figure_asked_while_its_prefetch_runs_is_computed_once():
    calls, started, release = [], threading.Event(), threading.Event()

    @data.cached
    def slow(x: int) -> int:
        calls.append(threading.current_thread().name)
        started.set()
        release.wait(10)
        return x * 2

    slow.prefetch(21)
    assert started.wait(10), "the prefetch runs at once, in a worker"
    threading.Timer(0.3, release.set).start()
    assert slow(21) == 42  # waits for the worker's computation instead of starting its own
    assert len(calls) == 1 and calls[0].startswith("dashboard-prefetch")
    assert slow(21) == 42 and len(calls) == 1  # and it is cached


def test_a_failed_prefetch_raises_nothing_and_the_pages_own_call_shows_the_error():
    calls, done = [], threading.Event()

    @data.cached
    def failing() -> int:
        calls.append(1)
        done.set()
        raise QueryError("grid_computed", RuntimeError("database is locked"))

    failing.prefetch()  # returns at once; the failure stays in the worker
    assert done.wait(10)
    with pytest.raises(QueryError):
        failing()  # an error is not cached: the page computes again and gets it to show
    assert len(calls) == 2


def test_the_worker_gets_the_runs_session_context_from_the_script_thread(monkeypatch):
    session = object()  # stands for the run's ScriptRunContext
    monkeypatch.setattr(data, "get_script_run_ctx", lambda suppress_warning=False: session)
    seen, done = [], threading.Event()

    @data.cached
    def figure() -> int:
        seen.append(get_script_run_ctx(suppress_warning=True))
        done.set()
        return 1

    figure.prefetch()
    assert done.wait(10)
    assert seen == [session]  # its nested cached calls read this run's data version
    assert get_script_run_ctx(suppress_warning=True) is None  # the test's own thread is untouched


def test_prefetches_are_bounded_and_beyond_the_bound_the_page_computes_itself():
    release = threading.Event()
    running = threading.Semaphore(0)

    @data.cached
    def held(i: int) -> int:
        running.release()
        release.wait(10)
        return i

    calls = []

    @data.cached
    def other() -> int:
        calls.append(threading.current_thread().name)
        return 5

    try:
        for i in range(data.MAX_PREFETCHES):
            held.prefetch(i)
        for _ in range(data.MAX_PREFETCHES):
            assert running.acquire(timeout=10)  # every slot busy
        other.prefetch()  # no slot: not started
        assert other() == 5 and calls == [threading.current_thread().name]
    finally:
        release.set()
    assert [held(i) for i in range(data.MAX_PREFETCHES)] == list(range(data.MAX_PREFETCHES))
    assert data.prefetches_done(10)


def test_waiting_for_the_prefetches_waits_for_a_running_one():
    release, started = threading.Event(), threading.Event()

    @data.cached
    def slow() -> int:
        started.set()
        release.wait(10)
        return 1

    slow.prefetch()
    assert started.wait(10)
    assert not data.prefetches_done(0.2)  # still running
    release.set()
    assert data.prefetches_done(10)


def test_the_overview_computes_its_grids_distinct_counts_in_a_worker_with_the_same_figures(tmp_path, monkeypatch):
    monkeypatch.undo()  # the real data version: the page runs on a database
    database(tmp_path, monkeypatch, good_workbook())
    threads = {}

    def recorded(name, fn):
        def run(*args, **kwargs):
            threads.setdefault(name, []).append(threading.current_thread().name)
            return fn(*args, **kwargs)
        return run

    # the grid's cells computed in a worker while the page computes its headline figures, and
    # within them the distinct counts in two more (data.COMPUTED_PARTS), while the grid reads its
    # other queries
    monkeypatch.setattr(grid, "aggregates", recorded("cells", grid.aggregates))
    monkeypatch.setattr(grid, "computed_figures", recorded("counts", grid.computed_figures))
    at = open_page(None)
    assert threads == {"cells": ["dashboard-prefetch"], "counts": ["dashboard-prefetch"] * len(data.COMPUTED_PARTS)}
    # the grid from the worker's figures, as tests/test_overview_grid.py reads it by hand: P1 at
    # its default date, Senegal's I1 4 of 10 (40 %), Guinea without an indicator row
    assert at.dataframe[0].value.to_dict() == {"P1 (au 30 juin 2022)": {"Guinée": "—", "Sénégal": "40\u00a0%"}}
