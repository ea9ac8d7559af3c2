"""As-of invariance (docs/METRICS.md, "As-of date"), as a property: on a small random programme,
adding rows dated after ``d`` changes no figure of ``compute_kpis`` as of ``d``.

Each example builds a random programme P (budget lines, expenditures, grants and receipts,
sessions with attendance and sex, measured and computed indicators; programme Q shares some
participants), imports it, computes the kpis as of a random ``d``, then imports random rows dated
after ``d`` (expenditures, receipts, signed grants, sessions of P and Q with attendance that may
record a participant's sex for the first time, measurements, in new countries too) and computes
again. Everything must be equal except the documented exceptions: ``funding.pipeline_weighted``
(future money by nature). The grant calendar is not part of ``kpis``.

The rows go through the real importer; each example gets its own in-memory SQLite copy of a
database migrated once. Deterministic (``derandomize``) and about 30 examples.
"""
from __future__ import annotations

import datetime as dt
import math
import sqlite3

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.pool import StaticPool

from cases import (PROGRAMME_Q, attend, day, funder, grant, indicator, line, measurement, organisation,
                   receipt, session, spend, target, workbook)
from dashboard.db import make_engine, upgrade
from dashboard.importer import import_workbook
from dashboard.kpis import compute_kpis

#: What may change as of d when rows dated after d are added (METRICS.md names them).
EXCEPTIONS = {("funding", "pipeline_weighted")}

PEOPLE = [f"p{i}" for i in range(1, 9)]
SEXES = ["F", "M", "X", None]  # None: this person's sex is never recorded
COUNTRIES = ["SEN", "MLI", None]  # None: regional
LATE_COUNTRIES = ["SEN", "MLI", "CIV", None]  # CIV appears only after d


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated, empty SQLite file, copied into memory for every example."""
    path = tmp_path_factory.mktemp("asof") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return str(path)


def fresh_engine(template_path: str) -> sa.Engine:
    source = sqlite3.connect(template_path)
    memory = sqlite3.connect(":memory:", check_same_thread=False)
    source.backup(memory)
    source.close()
    memory.execute("PRAGMA foreign_keys=ON")
    return sa.create_engine("sqlite://", creator=lambda: memory, poolclass=StaticPool)


# --- the random programme ------------------------------------------------------------------------

@st.composite
def programmes(draw):
    """(base workbook, as-of day n, late workbook): P runs day 0 to day 100, d = day(n)."""
    n = draw(st.integers(-5, 110))
    later = st.integers(n + 1, n + 60)  # a day after d
    anyday = st.integers(-10, 110)
    early = st.integers(-10, n)  # a day on or before d
    true_sex = {p: draw(st.sampled_from(SEXES)) for p in PEOPLE}

    def sex_of(p):  # a row records the person's sex or leaves it blank (never a different one)
        return true_sex[p] if draw(st.booleans()) else None

    def attendance(code, org_country, always_sex=False):
        people = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4, unique=True))
        orgs = {"SEN": "O1", "MLI": "O2"}
        return [attend(code, p, orgs.get(org_country) if draw(st.booleans()) else None,
                       true_sex[p] if always_sex else sex_of(p)) for p in people]

    base = [*PROGRAMME_Q, organisation("O1"), organisation("O2", "MLI"), funder("F1"), funder("F2", "public_bilateral"),
            indicator("I1", baseline=draw(st.sampled_from([None, 5.0]))),
            target("I1", day(50), 20, "SEN"), target("I1", day(100), 40, "SEN"), target("I1", day(100), 30, "MLI"),
            target("I1", day(100), 10),
            indicator("C1", "R1", computed_from="participants"), target("C1", day(100), 6, "SEN"),
            target("C1", day(100), 8)]
    line_codes = []
    for i in range(draw(st.integers(1, 4))):
        code = f"L{i}"
        line_codes.append(code)
        base.append(line(code, draw(st.integers(50, 1000)), country=draw(st.sampled_from(COUNTRIES))))
    refs = iter(range(1000))
    for _ in range(draw(st.integers(0, 6))):
        base.append(spend(f"E{next(refs)}", draw(st.sampled_from(line_codes)), day(draw(anyday)),
                          draw(st.integers(1, 600))))
    grant_codes = []
    for i in range(draw(st.integers(0, 3))):
        code, status = f"G{i}", draw(st.sampled_from(["signed", "signed", "prospect", "submitted"]))
        grant_codes.append(code)
        base.append(grant(code, draw(st.sampled_from(["F1", "F2"])), status, draw(st.integers(100, 2000)),
                          signed=day(draw(anyday)) if status == "signed" else None))
    receipt_refs = iter(range(1000))
    for _ in range(draw(st.integers(0, 3)) if grant_codes else 0):
        base.append(receipt(draw(st.sampled_from(grant_codes)), day(draw(anyday)), draw(st.integers(10, 500)),
                            reference=f"R{next(receipt_refs)}"))
    sessions = iter(range(1000))
    for _ in range(draw(st.integers(1, 4))):
        code, country = f"S{next(sessions)}", draw(st.sampled_from(COUNTRIES))
        base += [session(code, draw(st.sampled_from(["A1", "A2", "A3"])), day(draw(st.one_of(early, anyday))), country,
                         hours=draw(st.integers(1, 5))), *attendance(code, country)]
    if draw(st.booleans()):  # programme Q knows some of P's people
        base += [session("SQ", "AQ", day(draw(anyday)), "SEN", prog="Q"), *attendance("SQ", "SEN")]
    used = set()
    for _ in range(draw(st.integers(0, 4))):
        key = (draw(st.sampled_from(["SEN", "MLI", None])), draw(anyday))
        if key not in used:
            used.add(key)
            base.append(measurement("I1", day(key[1]), draw(st.integers(0, 15)), key[0]))

    late = []
    for _ in range(draw(st.integers(1, 3))):  # at least one late row
        late.append(spend(f"E{next(refs)}", draw(st.sampled_from(line_codes)), day(draw(later)),
                          draw(st.integers(1, 600))))
    for i in range(draw(st.integers(0, 2))):  # grants signed after d, and their receipts
        code = f"H{i}"
        late += [grant(code, "F1", "signed", draw(st.integers(100, 2000)), signed=day(draw(later))),
                 receipt(code, day(draw(later)), draw(st.integers(10, 500)), reference=f"R{next(receipt_refs)}")]
    for _ in range(draw(st.integers(0, 2)) if grant_codes else 0):
        late.append(receipt(draw(st.sampled_from(grant_codes)), day(draw(later)), draw(st.integers(10, 500)),
                            reference=f"R{next(receipt_refs)}"))
    for _ in range(draw(st.integers(1, 3))):  # sessions after d: they record every known sex, some
        code, country = f"S{next(sessions)}", draw(st.sampled_from(LATE_COUNTRIES))  # for the first time
        start = draw(later)
        late += [session(code, draw(st.sampled_from(["A1", "A3"])), day(start), country, end=day(start + 2)),
                 *attendance(code, country, always_sex=True)]
    if draw(st.booleans()):
        start = draw(later)
        late += [session("SQ-LATE", "AQ", day(start), "MLI", prog="Q"), *attendance("SQ-LATE", "MLI", True)]
    for _ in range(draw(st.integers(0, 3))):
        key = (draw(st.sampled_from(LATE_COUNTRIES)), draw(later))
        if key not in used:
            used.add(key)
            late.append(measurement("I1", day(key[1]), draw(st.integers(0, 15)), key[0]))
    return workbook(*base), n, workbook(*late, base=False)


# --- comparison --------------------------------------------------------------------------------

def differences(before, after, path=()) -> list:
    """Paths where two kpis objects differ (numbers within 1e-9), the exceptions left out."""
    if path in EXCEPTIONS:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        if set(before) != set(after):
            return [(path, sorted(before), sorted(after))]
        return [d for k in before for d in differences(before[k], after[k], (*path, k))]
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [(path, before, after)]
        return [d for i, (a, b) in enumerate(zip(before, after)) for d in differences(a, b, (*path, i))]
    if isinstance(before, float) or isinstance(after, float):
        if before is None or after is None or not math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-9):
            return [(path, before, after)]
        return []
    return [] if before == after else [(path, before, after)]


def test_differences_sees_a_change_and_ignores_the_exceptions():
    a = {"budget": {"spent": 1.0, "status": "on_track"}, "funding": {"pipeline_weighted": 5.0}, "indicators": [1]}
    assert differences(a, a) == []
    assert differences(a, {**a, "funding": {"pipeline_weighted": 9.0}}) == []
    assert differences(a, {**a, "budget": {"spent": 1.5, "status": "on_track"}}) == [(("budget", "spent"), 1.0, 1.5)]
    assert differences(a, {**a, "indicators": [1, 2]}) != []


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(programmes())
def test_rows_dated_after_d_change_no_figure_as_of_d(template, example):
    base, n, late = example
    engine = fresh_engine(template)
    try:
        report = import_workbook(engine, base)
        assert report.ok, report.render("en")
        d = day(n)
        with engine.connect() as conn:
            before = compute_kpis(conn, "P", d)
        report = import_workbook(engine, late)
        assert report.ok, report.render("en")
        with engine.connect() as conn:
            after = compute_kpis(conn, "P", d)
        assert differences(before, after) == [], (d, late)
    finally:
        engine.dispose()


def test_a_sex_recorded_after_d_leaves_the_shares_as_of_d(template):
    """The property's sex case, by hand: k1 attends S1 (day 10) with no sex; a session of day 70
    records k1 as F. As of day 50: participants k1, k2 (M) -> women 0 / 1 = 0, unknown 1 / 2."""
    engine = fresh_engine(template)
    try:
        assert import_workbook(engine, workbook(session("S1", "A1", day(10)), attend("S1", "k1"),
                                                attend("S1", "k2", sex="M"))).ok
        assert import_workbook(engine, workbook(session("S2", "A1", day(70)), attend("S2", "k1", sex="F"),
                                                base=False)).ok
        with engine.connect() as conn:
            training = compute_kpis(conn, "P", day(50))["training"]
        assert (training["participants"], training["women_share"], training["unknown_sex_share"]) == (2, 0.0, 0.5)
    finally:
        engine.dispose()
