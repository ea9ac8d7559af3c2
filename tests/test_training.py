"""The training-page aggregates (queries/training_*.sql through dashboard.training), worked out by
hand on a small programme on SQLite and PostgreSQL, and consistent with ``kpis["training"]`` on the
demo and on the unseen programme."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard import training as tr
from dashboard.db import records
from dashboard.demo import build_demo
from dashboard.importer import import_workbook
from dashboard.kpis import compute_kpis, get_programme, training_summary
from fixtures.unseen import AS_OF_DATES, build_unseen

D = dt.date
T = "T1"
AS_OF = D(2022, 3, 31)


def training_workbook() -> dict[str, list[dict]]:
    """Four sessions, five participants. S4 starts after the as-of date: it records e's sex, which
    does not count as of that date (a participant's sex comes from sessions started by then)."""
    def session(code, country, kind, start, hours, theme, lat=None, lon=None):
        return {"code": code, "programme_code": T, "logframe_code": "A1", "title": f"Session {code}", "kind": kind,
                "country_iso3": country, "city": "Dakar" if lat else None, "latitude": lat, "longitude": lon,
                "start_date": start, "end_date": start + dt.timedelta(days=1), "hours": hours, "theme": theme}

    def attend(session_code, key, org, sex, age):
        return {"session_code": session_code, "participant_key": key, "organisation_code": org, "sex": sex,
                "age_band": age}

    return {
        "programmes": [{"code": T, "name": "Formations", "start_date": D(2022, 1, 1), "end_date": D(2022, 12, 31)}],
        "logframe": [{"programme_code": T, "code": "OG", "level": "goal", "title": "But"},
                     {"programme_code": T, "code": "OS1", "level": "objective", "parent_code": "OG", "title": "OS"},
                     {"programme_code": T, "code": "R1", "level": "result", "parent_code": "OS1", "title": "R"},
                     {"programme_code": T, "code": "A1", "level": "activity", "parent_code": "R1", "title": "A"}],
        "organisations": [{"code": "O1", "name": "Jappo", "country_iso3": "SEN", "type": "local_association"},
                          {"code": "O2", "name": "Benkadi", "country_iso3": "MLI", "type": "ngo"}],
        "sessions": [session("S1", "SEN", "training", D(2022, 1, 10), 6, "plaidoyer", 14.7, -17.4),
                     session("S2", "MLI", "workshop", D(2022, 1, 20), 3, None),
                     session("S3", None, "webinar", D(2022, 3, 5), 2, "plaidoyer"),
                     session("S4", "SEN", "training", D(2022, 6, 1), 4, None)],
        "attendance": [attend("S1", "a", "O1", "F", "25-34"), attend("S1", "b", "O1", "M", None),
                       attend("S1", "c", None, None, "<25"),
                       attend("S2", "a", "O2", None, "35-49"), attend("S2", "d", "O2", "X", "50+"),
                       attend("S3", "a", None, "F", None), attend("S3", "b", "O1", "M", "25-34"),
                       attend("S3", "e", None, None, None),
                       attend("S4", "c", "O1", None, "50+"), attend("S4", "e", None, "F", None)],
    }


@pytest.fixture
def loaded(engine):
    assert import_workbook(engine, training_workbook()).ok
    return engine


def _breakdowns(engine, countries=None):
    with engine.connect() as conn:
        return tr.breakdowns(conn, T, AS_OF, countries), tr.sessions(conn, T, AS_OF, countries)


def test_breakdowns_worked_out_by_hand(loaded):
    found, sessions = _breakdowns(loaded)
    # S1 (a, b, c), S2 (a, d), S3 (a, b, e) by 31 March; S4 is later
    assert [(s["code"], s["participants"], s["latitude"]) for s in records(sessions)] == [
        ("S1", 3, 14.7), ("S2", 2, None), ("S3", 3, None)]
    # per kind: hours x attendance rows; ties on sessions in kind order
    assert [tuple(r.values()) for r in records(found["kind"])] == [
        ("training", 1, 3, 18.0), ("webinar", 1, 3, 6.0), ("workshop", 1, 2, 6.0)]
    assert [tuple(r.values()) for r in records(found["country"])] == [
        ("", 1, 3, 6.0), ("MLI", 1, 2, 6.0), ("SEN", 1, 3, 18.0)]  # a counts in all three
    assert [tuple(r.values()) for r in records(found["theme"])] == [("plaidoyer", 2, 4, 24.0), ("", 1, 2, 6.0)]
    # January: S1 and S2, 5 attendances of 4 people, all new; March: S3, 3 people, only e new
    assert [tuple(r.values()) for r in records(found["month"])] == [
        (2022, 1, 2, 5, 4, 24.0, 4), (2022, 3, 1, 3, 3, 6.0, 1)]
    # a: F, age of S2 (her latest session with an age band); b: M, age of S3; c: sex unknown
    # everywhere; d: X; e: unknown, no age (only S4, after the as-of date, records her as F:
    # a row dated after d never changes a figure as of d)
    assert [(r["sex"], r["age_band"], r["participants"]) for r in records(found["sex_age"])] == [
        ("", "", 1), ("", "<25", 1), ("F", "35-49", 1), ("M", "25-34", 1), ("X", "50+", 1)]
    assert [tuple(r.values()) for r in records(found["organisation_type"])] == [
        ("local_association", 1, 2), ("ngo", 1, 2)]


def test_breakdowns_follow_the_country_filter(loaded):
    found, sessions = _breakdowns(loaded, ["SEN"])
    assert list(sessions["code"]) == ["S1"]
    # within S1 only, a's latest age band is that of S1
    assert [(r["sex"], r["age_band"], r["participants"]) for r in records(found["sex_age"])] == [
        ("", "<25", 1), ("F", "25-34", 1), ("M", "", 1)]
    assert [tuple(r.values()) for r in records(found["country"])] == [("SEN", 1, 3, 18.0)]


def test_headline_and_monthly_reach_by_hand(loaded):
    found, _ = _breakdowns(loaded)
    with loaded.connect() as conn:
        training = training_summary(conn, get_programme(conn, T), AS_OF)
    assert tr.sex_counts(found["sex_age"]) == {"": 2, "F": 1, "M": 1, "X": 1}
    h = tr.headline(training, found["sex_age"], suppress=False)
    # women: a among the 3 of known sex (a, b, d; e's F is recorded after the as-of date);
    # unknown: c and e among 5; repeat: a (3 rows) and b (2 rows)
    assert (h["participants"], h["women_share"], h["unknown_sex_share"], h["repeat_participants"]) == (
        5, pytest.approx(1 / 3), 0.4, 2)
    assert (training["women_share"], training["unknown_sex_share"]) == (pytest.approx(1 / 3), 0.4)
    assert h["repeat_share"] == pytest.approx(0.4)
    hidden = tr.headline(training, found["sex_age"], suppress=True)
    # 3 known-sex people is a small cell: the women share is left out; 2 unknown too
    assert (hidden["participants"], hidden["women_share"], hidden["unknown_sex_share"]) == (5, None, None)
    assert hidden["repeat_participants"] == "< 5" and hidden["repeat_share"] is None
    assert hidden["attendances"] == 8 and hidden["sessions"] == 3
    reach = tr.monthly_reach(found["month"])
    assert list(reach["month_end"]) == [D(2022, 1, 31), D(2022, 3, 31)]
    assert list(reach["reached"]) == [4, 5] and list(reach["sessions"]) == [2, 1]
    assert list(tr.monthly_reach(found["month"], suppress=True)["reached"]) == [None, 5]


def test_the_sex_and_age_grid_keeps_every_band_and_hides_small_cells(loaded):
    found, _ = _breakdowns(loaded)
    grid = tr.sex_age_matrix(found["sex_age"])
    assert list(grid.index) == ["<25", "25-34", "35-49", "50+", ""] and list(grid.columns) == ["F", "M", "X", ""]
    assert grid.loc["35-49", "F"] == 1 and grid.loc["<25", ""] == 1 and grid.loc["50+", "M"] == 0
    assert int(grid.sum().sum()) == 5
    hidden = tr.sex_age_matrix(found["sex_age"], suppress=True)
    assert hidden.loc["35-49", "F"] is None and hidden.loc["50+", "M"] == 0  # 0 stays 0


@pytest.fixture(scope="module")
def programmes(tmp_path_factory):
    """The demo and the unseen programme in one SQLite database."""
    from dashboard.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('training') / 'all.db'}")
    upgrade(engine)
    for wb in (build_demo(), build_unseen()):
        assert import_workbook(engine, wb).ok
    return engine


CASES = [("PCRPM-C2", None, None), ("PCRPM-C2", None, ["SEN", "MLI"]), ("LT-PAIRS", None, None),
         *[("UNSEEN-X", d, None) for d in AS_OF_DATES[:5]], ("UNSEEN-X", AS_OF_DATES[4], ["BEN"])]


@pytest.mark.parametrize("programme,as_of,countries", CASES)
def test_breakdowns_add_up_to_the_kpis_figures(programmes, programme, as_of, countries):
    with programmes.connect() as conn:
        k = compute_kpis(conn, programme, as_of, countries)
        when = dt.date.fromisoformat(k["as_of"])
        found = tr.breakdowns(conn, programme, when, countries)
        sessions = tr.sessions(conn, programme, when, countries)
    kp = k["training"]
    assert len(sessions) == kp["sessions"] == found["kind"]["sessions"].sum() == found["theme"]["sessions"].sum()
    assert found["country"]["sessions"].sum() == found["month"]["sessions"].sum() == kp["sessions"]
    assert sessions["participants"].sum() == kp["attendances"] == found["month"]["attendances"].sum()
    assert (sessions["participants"] * sessions["hours"]).sum() == pytest.approx(kp["participant_hours"])
    assert found["kind"]["participant_hours"].sum() == pytest.approx(kp["participant_hours"])
    assert found["month"]["new_participants"].sum() == kp["participants"]
    assert found["sex_age"]["participants"].sum() == kp["participants"]
    assert found["organisation_type"]["organisations"].sum() == kp["organisations"]
    h = tr.headline(kp, found["sex_age"], suppress=False)
    counts = tr.sex_counts(found["sex_age"])
    known = sum(counts.get(s, 0) for s in ("F", "M", "X"))
    assert h["women_share"] == pytest.approx(counts.get("F", 0) / known if known else None)
    # a person counts in every country where they attended: never fewer than the distinct total
    assert found["country"]["participants"].sum() >= kp["participants"]
    if countries:
        assert set(sessions["country_iso3"]) <= set(countries)


def ties_workbook() -> dict[str, list[dict]]:
    """Programme T and another, U. S1 and S2 start the same day (the age band of the session with
    the greater code wins); p's sex is only recorded in U (it counts), r's only in U2, after the
    as-of date (it does not)."""
    wb = training_workbook()
    wb["programmes"].append({"code": "U", "name": "Autre", "start_date": D(2022, 1, 1), "end_date": D(2022, 12, 31)})
    wb["logframe"] += [{**node, "programme_code": "U"} for node in wb["logframe"]]

    def session(code, programme, country, start):
        return {"code": code, "programme_code": programme, "logframe_code": "A1", "title": code, "kind": "training",
                "country_iso3": country, "start_date": start, "end_date": start, "hours": 2}

    wb["sessions"] = [session("S1", T, "SEN", D(2022, 2, 1)), session("S2", T, "SEN", D(2022, 2, 1)),
                      session("S3", T, "MLI", D(2022, 1, 15)), session("U1", "U", "MLI", D(2022, 1, 5)),
                      session("U2", "U", "MLI", D(2022, 5, 1))]
    rows = [("S1", "p", None, "25-34"), ("S2", "p", None, "35-49"), ("U1", "p", "F", None),
            ("S1", "q", None, "<25"), ("S2", "q", None, None), ("S3", "q", "M", "50+"),
            ("S3", "r", None, None), ("U2", "r", "X", None)]
    wb["attendance"] = [{"session_code": s, "participant_key": k, "organisation_code": None, "sex": sex,
                         "age_band": age} for s, k, sex, age in rows]
    return wb


@pytest.mark.parametrize("countries,expected", [
    # p: F (from U1), 35-49 (S2 beats S1 on the same day); q: M (S3), <25 (S1: S2 has no band,
    # S3 is older); r: sex unknown as of 31 March (U2 is later), no band
    (None, [("", "", 1), ("F", "35-49", 1), ("M", "<25", 1)]),
    # Senegal only: p and q; q's sex still comes from S3 (Mali), the age band from S1
    (["SEN"], [("F", "35-49", 1), ("M", "<25", 1)]),
])
def test_sex_and_age_band_ties_and_sexes_recorded_elsewhere_by_hand(engine, countries, expected):
    assert import_workbook(engine, ties_workbook()).ok
    with engine.connect() as conn:
        found = tr.breakdowns(conn, T, AS_OF, countries)
        prog = get_programme(conn, T)
        read = training_summary(conn, prog, AS_OF, countries)
        given = training_summary(conn, prog, AS_OF, countries, by_sex=tr.sex_counts(found["sex_age"]))
    assert [(r["sex"], r["age_band"], r["participants"]) for r in records(found["sex_age"])] == expected
    # the page's headline takes the sexes from this breakdown instead of training_by_sex: the same figures
    assert given == read
    women = 1 / 2  # p among p and q (r unknown)
    assert read["women_share"] == pytest.approx(women)
    assert read["unknown_sex_share"] == (pytest.approx(1 / 3) if countries is None else 0.0)
