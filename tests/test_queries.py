"""Every queries/*.sql runs on SQLite and PostgreSQL and returns the hand-computed result for the
small programme of tests/workbooks.py."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.db import QUERIES_DIR, QueryError, Rows, query, records
from dashboard.importer import import_workbook
from dashboard.kpis import to_date
from workbooks import good_workbook

D = dt.date
P = {"programme": "P1"}
AS_OF = {"as_of": D(2022, 12, 31)}
ALL = {"all_countries": 1, "countries": []}


def _rows(frame):
    return records(frame)


# query name -> (parameters, check(frame))
CHECKS = {
    "programmes": ({"all_programmes": 0, "programmes": ["P1", "P9"]}, lambda f: list(f["code"]) == ["P1"]),
    "programme": (P, lambda f: to_date(_rows(f)[0]["end_date"]) == D(2023, 1, 1)),
    "latest_dates": (P, lambda f: {r["source"]: to_date(r["latest"]) for r in _rows(f)} == {
        "expenditures": D(2022, 5, 2), "receipts": D(2022, 2, 1), "measurements": D(2022, 6, 30),
        "sessions": D(2022, 4, 2)}),
    # L1: 1 234,56 - 34,56 = 1 200 € in 2 vouchers; L2: 1 000 000 GNF at 10 000 = 100 €
    # spent in the line's currency: L1 is in XOF but its vouchers are in EUR (2 foreign vouchers)
    "budget_lines_spent": ({**P, **AS_OF, **ALL}, lambda f: [
        (r["code"], round(r["spent_eur"], 6), r["vouchers"], r["spent_local"], r["foreign_vouchers"])
        for r in _rows(f)] == [("L1", 1200.0, 2, 0, 2), ("L2", 100.0, 1, 1_000_000, 0)]),
    # March 2022: 1 234,56 (L1); April: 100 (L2); May: -34,56 (L1)
    "spend_by_month": ({**P, **AS_OF, **ALL}, lambda f: [(r["year"], r["month"], round(r["spent_eur"], 6))
                                                        for r in _rows(f)] == [(2022, 3, 1234.56), (2022, 4, 100.0),
                                                                               (2022, 5, -34.56)]),
    "receipts_by_month": ({**P, **AS_OF}, lambda f: _rows(f) == [{"year": 2022, "month": 2, "received_eur": 600.0}]),
    "grants_list": ({"all_programmes": 1, "programme": ""}, lambda f: [
        (r["code"], r["funder_name"], r["status"], r["amount_eur"], bool(r["in_kind"])) for r in _rows(f)] == [
        ("G1", "Agence française de développement", "signed", 1500.5, False)]),
    "measurements_for_edit": ({**P, "indicator": "I1", "all_countries": 0, "countries": ["SEN"]},
                              lambda f: _rows(f) == [{"country_iso3": "SEN", "period_end": D(2022, 6, 30), "value": 4.0,
                                                      "source": "rapport", "comment": None, "version": 1}]),
    "targets_for_edit": ({**P, "indicator": "I2"}, lambda f: _rows(f) == [
        {"country_iso3": "", "period_end": D(2023, 1, 1), "target": 20.0, "version": 1}]),
    # the import of the fixture is the only entry
    "audit_log": ({"actor": "", "action": "import", "since": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),
                   "limit": 10}, lambda f: list(f["action"]) == ["import"] and list(f["actor"]) == ["cli"]),
    "funder_list": ({}, lambda f: _rows(f) == [{"code": "AFD", "name": "Agence française de développement",
                                               "type": "public_bilateral"}]),
    "funder_grants": ({"funder": "AFD"}, lambda f: list(f["code"]) == ["G1"]),
    "budget_total": ({"all_programmes": 0, **P}, lambda f: _rows(f)[0]["budget_eur"] == pytest.approx(2000.0)),
    "funding_by_funder": ({**AS_OF, "all_programmes": 0, **P}, lambda f: [
        (r["funder_code"], r["funder_type"], r["amount_eur"]) for r in _rows(f)] == [("AFD", "public_bilateral", 1500.5)]),
    "pipeline": ({"all_programmes": 1, "programme": ""}, lambda f: f.empty),
    "received": ({**P, **AS_OF}, lambda f: _rows(f)[0]["received_eur"] == 600.0),
    # one session of 12 h, two participants (one with an organisation): 24 participant-hours
    "training_totals": ({**P, **AS_OF, **ALL}, lambda f: _rows(f)[0] == {
        "sessions": 1, "attendances": 2, "participants": 2, "organisations": 1, "participant_hours": 24.0,
        "repeat_participants": 0}),
    "training_by_sex": ({**P, **AS_OF, **ALL}, lambda f: {r["sex"]: r["participants"] for r in _rows(f)} == {
        "": 1, "F": 1}),
    "participants_by_country": ({**P, **AS_OF}, lambda f: _rows(f) == [{"country_iso3": "SEN", "participants": 2}]),
    "logframe_nodes": (P, lambda f: list(f["code"]) == ["A1", "OG", "OS1", "R1"]),
    "indicators": (P, lambda f: list(f["code"]) == ["I1", "I2"]),
    "targets": (P, lambda f: [(r["indicator_code"], r["country_iso3"], r["target"]) for r in _rows(f)] == [
        ("I1", "SEN", 10.0), ("I2", "", 20.0)]),
    "measurements_asof": ({**P, **AS_OF}, lambda f: [(r["indicator_code"], r["country_iso3"], r["total"],
                                                      r["latest_value"]) for r in _rows(f)] == [("I1", "SEN", 4.0, 4.0)]),
    "computed_by_country": ({**P, **AS_OF, "nodes": ["A1", "R1"]}, lambda f: _rows(f) == [
        {"country_iso3": "SEN", "sessions": 1, "participants": 2, "organisations": 1}]),
    "computed_total": ({**P, **AS_OF, "nodes": ["OS1"]}, lambda f: _rows(f) == [
        {"sessions": 0, "participants": 0, "organisations": 0}]),
    "session_countries": ({**P, **AS_OF}, lambda f: list(f["country_iso3"]) == ["SEN"]),
    # the training page: S1 (Dakar, 1-2 April 2022, 12 h) with P-aa01 (F, 25-34, O1) and P-aa02 (nothing known)
    "training_sessions": ({**P, **AS_OF, **ALL}, lambda f: [
        (r["code"], r["kind"], r["country_iso3"], r["city"], r["latitude"], r["longitude"], r["start_date"],
         r["end_date"], r["hours"], r["theme"], r["logframe_code"], r["participants"]) for r in _rows(f)] == [
        ("S1", "training", "SEN", "Dakar", 14.7, -17.4, D(2022, 4, 1), D(2022, 4, 2), 12.0, "plaidoyer", "A1", 2)]),
    "training_by_kind": ({**P, **AS_OF, **ALL}, lambda f: _rows(f) == [
        {"kind": "training", "sessions": 1, "participants": 2, "participant_hours": 24.0}]),
    "training_by_country": ({**P, **AS_OF, **ALL}, lambda f: _rows(f) == [
        {"country_iso3": "SEN", "sessions": 1, "participants": 2, "participant_hours": 24.0}]),
    "training_by_theme": ({**P, **AS_OF, **ALL}, lambda f: _rows(f) == [
        {"theme": "plaidoyer", "sessions": 1, "participants": 2, "participant_hours": 24.0}]),
    "training_by_month": ({**P, **AS_OF, **ALL}, lambda f: _rows(f) == [
        {"year": 2022, "month": 4, "sessions": 1, "attendances": 2, "participants": 2, "participant_hours": 24.0,
         "new_participants": 2}]),
    "training_by_sex_age": ({**P, **AS_OF, **ALL}, lambda f: [(r["sex"], r["age_band"], r["participants"])
                                                             for r in _rows(f)] == [("", "", 1), ("F", "25-34", 1)]),
    "training_by_organisation_type": ({**P, **AS_OF, **ALL}, lambda f: _rows(f) == [
        {"organisation_type": "local_association", "organisations": 1, "participants": 1}]),
    "programme_countries": (P, lambda f: sorted(f["country_iso3"]) == ["GIN", "SEN"]),
    # L1 (SEN) and L2 (GIN), whatever the date
    "budget_line_countries": (P, lambda f: list(f["country_iso3"]) == ["GIN", "SEN"]),
    # G1 ends 2023-01-01: within 6 months of 2022-08-01, and AFD has no later signed grant
    "grants_ending": ({**P, "all_programmes": 0, "as_of": D(2022, 8, 1), "cutoff": D(2023, 2, 1)},
                      lambda f: [r["code"] for r in _rows(f)] == ["G1"]),
    # the Synthèse grid (grouped over programmes, each at its own as-of date: db.Rows)
    "grid_latest_dates": ({"programmes": ["P1", "P9"]}, lambda f: sorted(
        (r["programme_code"], to_date(r["latest"])) for r in _rows(f)) == [
        ("P1", D(2022, 2, 1)), ("P1", D(2022, 4, 2)), ("P1", D(2022, 5, 2)), ("P1", D(2022, 6, 30))]),
    # (P9 does not exist: no row for it)
    # 655 957 XOF and 9 000 000 GNF at 9 000: 1 000 € each
    "grid_budget": ({"asof": Rows([("P1", D(2022, 4, 30))])}, lambda f: [
        (r["programme_code"], r["country_iso3"], round(r["amount_eur"], 6)) for r in _rows(f)] == [
        ("P1", "GIN", 1000.0), ("P1", "SEN", 1000.0)]),
    # by 2022-04-30: SEN 1 234,56 € (the credit note is of 2 May), GIN 1 000 000 GNF at 10 000 = 100 €
    "grid_spent": ({"asof": Rows([("P1", D(2022, 4, 30))])}, lambda f: [
        (r["programme_code"], r["country_iso3"], round(r["spent_eur"], 6)) for r in _rows(f)] == [
        ("P1", "GIN", 100.0), ("P1", "SEN", 1234.56)]),
    "grid_sessions": ({"asof": Rows([("P1", D(2022, 3, 31)), ("P9", D(2022, 12, 31))])}, lambda f: f.empty),
    "grid_people": ({"asof": Rows([("P1", D(2022, 12, 31))])}, lambda f: _rows(f) == [
        {"programme_code": "P1", "country_iso3": "SEN", "participants": 2}]),
    "grid_indicators": ({"programmes": ["P1"]}, lambda f: [(r["programme_code"], r["code"], r["computed_from"])
                                                          for r in _rows(f)] == [("P1", "I1", None),
                                                                                 ("P1", "I2", "participants")]),
    "grid_targets": ({"programmes": ["P1"]}, lambda f: [
        (r["programme_code"], r["indicator_code"], r["country_iso3"], r["target"]) for r in _rows(f)] == [
        ("P1", "I1", "SEN", 10.0), ("P1", "I2", "", 20.0)]),
    "grid_measurements": ({"asof": Rows([("P1", D(2022, 6, 30))])}, lambda f: [
        (r["programme_code"], r["indicator_code"], r["country_iso3"], r["total"], r["latest_value"])
        for r in _rows(f)] == [("P1", "I1", "SEN", 4.0, 4.0)]),
    # I2 (node R1, computed from participants) counts S1 (node A1, below R1): 2 participants
    "grid_computed": ({"asof": Rows([("P1", D(2022, 12, 31))]), "kinds": ["participants", "organisations", "sessions"]},
                      lambda f: _rows(f) == [
        {"programme_code": "P1", "indicator_code": "I2", "country_iso3": "SEN", "figure": 2}]),
}


def test_rows_bind_each_cell_as_a_value(engine):
    """A Rows parameter (per-programme as-of dates): each cell is bound, a date filters, a hostile
    code is a value that matches nothing."""
    assert import_workbook(engine, good_workbook()).ok
    with engine.connect() as conn:
        before = query(conn, "grid_measurements", asof=Rows([("P1", D(2022, 6, 29))]))
        hostile = query(conn, "grid_measurements", asof=Rows([("P1' OR '1'='1", D(2022, 12, 31))]))
        both = query(conn, "grid_measurements", asof=Rows([("P9", D(2022, 12, 31)), ("P1", D(2022, 6, 30))]))
    assert before.empty and hostile.empty
    assert list(both["indicator_code"]) == ["I1"]


def test_every_query_file_has_a_check():
    assert sorted(p.stem for p in QUERIES_DIR.glob("*.sql")) == sorted(CHECKS)


def test_every_query_file_documents_its_parameters():
    for path in QUERIES_DIR.glob("*.sql"):
        head = path.read_text(encoding="utf-8").splitlines()[:6]
        assert any(line.startswith("-- Parameters:") for line in head), path.name


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_query_returns_the_hand_computed_result(engine, name):
    assert import_workbook(engine, good_workbook()).ok
    params, check = CHECKS[name]
    with engine.connect() as conn:
        frame = query(conn, name, **params)
    assert check(frame), records(frame)


def test_the_country_filter_binds_a_list(engine):
    assert import_workbook(engine, good_workbook()).ok
    with engine.connect() as conn:
        frame = query(conn, "budget_lines_spent", **P, **AS_OF, all_countries=0, countries=["GIN"])
        assert list(frame["code"]) == ["L2"]
        hostile = query(conn, "budget_lines_spent", **P, **AS_OF, all_countries=0, countries=["SEN' OR '1'='1"])
        assert hostile.empty  # bound as a value, never spliced into the SQL


def test_a_failing_query_raises_a_typed_error_naming_it(engine):
    with engine.connect() as conn:
        with pytest.raises(QueryError) as err:
            query(conn, "programme")  # :programme missing
    assert err.value.query == "programme"
