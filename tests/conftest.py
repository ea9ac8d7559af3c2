"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL.

PostgreSQL tests run when ``DASHBOARD_TEST_PG_URL`` points to a database the tests may wipe
(``.ci/run`` sets it up). With ``DASHBOARD_REQUIRE_PG=1`` a missing PostgreSQL is an error,
not a skip, so CI cannot pass without them.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from dashboard.db import make_engine, upgrade  # noqa: E402

PG_URL = os.environ.get("DASHBOARD_TEST_PG_URL")
REQUIRE_PG = os.environ.get("DASHBOARD_REQUIRE_PG") == "1"


def _fresh_postgres():
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("DASHBOARD_REQUIRE_PG=1 but DASHBOARD_TEST_PG_URL is not set")
        pytest.skip("PostgreSQL not configured (set DASHBOARD_TEST_PG_URL)")
    engine = make_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as exc:
        if REQUIRE_PG:
            raise
        pytest.skip(f"PostgreSQL unreachable: {exc.__class__.__name__}")
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """An empty database with the schema, on each back end."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        eng = _fresh_postgres()
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    upgrade(eng)
    yield eng
    eng.dispose()


def dump(engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: to prove that a rejected import changed nothing."""
    from dashboard.schema import metadata

    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            out[table.name] = sorted(conn.execute(sa.select(table)).all(), key=repr)
    return out


def empty_tables(engine) -> None:
    """Delete every row of every table but ``data_version`` (a counter, not data: it has exactly
    one row), children first: to import the same workbook again another way."""
    from dashboard.schema import metadata

    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if table.name != "data_version":
                conn.execute(table.delete())


def assert_same_data(first: dict, second: dict) -> None:
    """Two :func:`dump` of the same workbook imported two ways hold the same rows (the audit log,
    the schema version and the data version aside)."""
    for table in first:
        if table not in ("audit_log", "alembic_version", "data_version"):
            assert first[table] == second[table], table


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item (browser tests screenshot their failures)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def demo_workbooks():
    """The demo workbook and the unseen programme's, generated once for the whole run."""
    from dashboard.demo import build_demo
    from fixtures.unseen import build_unseen

    return build_demo(), build_unseen()



@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (never a downloaded browser)."""
    from browser import CHROMIUM, FLAGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
