"""Write scopes of imports and edits, checked on the row as it is AND as it will be; programme moves;
shared exchange rates (issue #11, parts 2 and 5). Every figure below is worked out by hand."""
from __future__ import annotations

import copy
import datetime as dt

import pytest
import sqlalchemy as sa

from conftest import dump
from dashboard import auth, editing
from dashboard import schema as s
from dashboard.importer import import_workbook
from workbooks import good_workbook

D = dt.date

# P1 (SEN, GIN and TUN rows) and P2 (a second programme), loaded by the command line.
P1_SEN = auth.Scope(7, "awa@forim.test", "manager", frozenset({"P1"}), frozenset({"SEN"}))
P1_ALL = auth.Scope(8, "ali@forim.test", "manager", frozenset({"P1"}), None)


def _p2() -> dict[str, list[dict]]:
    """good_workbook's programme again as P2, with its own grant G2, session S2 and lines."""
    wb = copy.deepcopy(good_workbook())
    for sheet in ("funders", "organisations", "fx_rates"):
        del wb[sheet]
    for rows in wb.values():
        for row in rows:
            if row.get("programme_code") == "P1":
                row["programme_code"] = "P2"
    wb["programmes"][0]["code"] = "P2"
    for row in wb["grants"]:
        row["code"] = "G2"
    for sheet in ("receipts", "expenditures"):
        for row in wb[sheet]:
            if row.get("grant_code") == "G1":
                row["grant_code"] = "G2"
    wb["sessions"][0]["code"] = "S2"
    for row in wb["attendance"]:
        row["session_code"] = "S2"
    return wb


def base_workbook() -> dict[str, list[dict]]:
    wb = good_workbook()
    wb["budget_lines"].append({"programme_code": "P1", "code": "TUN-ACT-A111", "country_iso3": "TUN",
                               "category": "activities", "label": "Ateliers Tunis", "amount": 5000, "currency": "EUR"})
    wb["sessions"].append({"code": "C2-TUN-002", "programme_code": "P1", "logframe_code": "A1", "title": "Tunis",
                           "kind": "training", "country_iso3": "TUN", "start_date": D(2022, 5, 1),
                           "end_date": D(2022, 5, 1), "hours": 6})
    wb["attendance"].append({"session_code": "C2-TUN-002", "participant_key": "P-tn01", "sex": "M"})
    wb["measurements"].append({"programme_code": "P1", "indicator_code": "I1", "country_iso3": "TUN",
                               "period_end": D(2022, 6, 30), "value": 3})
    for sheet, rows in _p2().items():
        wb[sheet] = wb[sheet] + rows
    return wb


@pytest.fixture
def db(engine):
    report = import_workbook(engine, base_workbook())
    assert report.ok, report.render("en")
    return engine


def row(sheet: str, **where) -> dict:
    """One row of base_workbook(), copied, to be changed by a test."""
    (found,) = [r for r in base_workbook()[sheet] if all(r.get(k) == v for k, v in where.items())]
    return dict(found)


def changed(sheet: str, where: dict, **new) -> dict:
    return {**row(sheet, **where), **new}


TUN_OUT = "1 ligne hors de votre périmètre (TUN)"

# (id, scope, workbook, expected messages in French): one per sheet and per way of leaving the scope.
CASES = [
    # programmes: key = code, scope = the programme
    ("programmes-touch", P1_ALL, {"programmes": [changed("programmes", {"code": "P2"}, name="Renamed")]},
     [("programmes", "1 ligne hors de votre périmètre (P2)")]),
    ("programmes-new", P1_ALL, {"programmes": [changed("programmes", {"code": "P1"}, code="P9")]},
     [("programmes", "1 ligne hors de votre périmètre (P9)")]),
    # logframe, indicators: the programme is part of the key
    ("logframe-touch", P1_ALL, {"logframe": [changed("logframe", {"programme_code": "P2", "code": "OG"}, title="x")]},
     [("logframe", "1 ligne hors de votre périmètre (P2)")]),
    ("indicators-touch", P1_ALL,
     {"indicators": [changed("indicators", {"programme_code": "P2", "code": "I1"}, label="x")]},
     [("indicators", "1 ligne hors de votre périmètre (P2)")]),
    # targets, measurements: programme and country are part of the key
    ("targets-touch", P1_SEN, {"targets": [changed("targets", {"programme_code": "P1", "indicator_code": "I2"},
                                                   target=99)]},
     [("targets", "1 ligne hors de votre périmètre (régional)")]),
    ("measurements-touch", P1_SEN,
     {"measurements": [changed("measurements", {"programme_code": "P1", "country_iso3": "TUN"}, value=99)]},
     [("measurements", "1 ligne hors de votre périmètre (TUN)")]),
    # grants: key = code; the programme is not in the key
    ("grants-into", P1_ALL, {"grants": [changed("grants", {"code": "G2"}, programme_code="P1")]},
     [("grants", "1 ligne hors de votre périmètre (P2)"),
      ("grants", "G2 appartient déjà au programme P2 : il ne peut pas passer au programme P1")]),
    ("grants-out", P1_ALL, {"grants": [changed("grants", {"code": "G1"}, programme_code="P2")]},
     [("grants", "1 ligne hors de votre périmètre (P2)"),
      ("grants", "G1 appartient déjà au programme P1 : il ne peut pas passer au programme P2")]),
    ("grants-touch", P1_ALL, {"grants": [changed("grants", {"code": "G2"}, amount=1)]},
     [("grants", "1 ligne hors de votre périmètre (P2)")]),
    # receipts: scope of their grant, as it is and as the workbook leaves it
    ("receipts-touch", P1_ALL, {"receipts": [changed("receipts", {"grant_code": "G2"}, amount=1)]},
     [("receipts", "1 ligne hors de votre périmètre (P2)")]),
    # budget lines: the country is not part of the key (issue #11 reproduction: TUN-ACT-A111)
    ("budget_lines-into", P1_SEN,
     {"budget_lines": [changed("budget_lines", {"code": "TUN-ACT-A111"}, country_iso3="SEN", amount=1)]},
     [("budget_lines", "1 ligne hors de votre périmètre (TUN)")]),
    ("budget_lines-out", P1_SEN,
     {"budget_lines": [changed("budget_lines", {"programme_code": "P1", "code": "L1"}, country_iso3="TUN")]},
     [("budget_lines", "1 ligne hors de votre périmètre (TUN)")]),
    ("budget_lines-touch", P1_SEN,
     {"budget_lines": [changed("budget_lines", {"code": "TUN-ACT-A111"}, amount=1)]},
     [("budget_lines", "1 ligne hors de votre périmètre (TUN)")]),
    # expenditures: the programme is part of the key
    ("expenditures-touch", P1_ALL,
     {"expenditures": [changed("expenditures", {"programme_code": "P2", "reference": "E1"}, amount=1)]},
     [("expenditures", "1 ligne hors de votre périmètre (P2)")]),
    # sessions: key = code; programme and country are not (issue #11 reproduction: C2-TUN-002)
    ("sessions-into", P1_SEN, {"sessions": [changed("sessions", {"code": "C2-TUN-002"}, country_iso3="SEN")]},
     [("sessions", "1 ligne hors de votre périmètre (TUN)")]),
    ("sessions-out", P1_SEN, {"sessions": [changed("sessions", {"code": "S1"}, country_iso3="TUN")]},
     [("sessions", "1 ligne hors de votre périmètre (TUN)")]),
    ("sessions-touch", P1_SEN, {"sessions": [changed("sessions", {"code": "C2-TUN-002"}, title="x")]},
     [("sessions", "1 ligne hors de votre périmètre (TUN)")]),
    ("sessions-other-programme", P1_ALL, {"sessions": [changed("sessions", {"code": "S2"}, programme_code="P1")]},
     [("sessions", "1 ligne hors de votre périmètre (P2)"),
      ("sessions", "S2 appartient déjà au programme P2 : il ne peut pas passer au programme P1")]),
    # attendance: the scope of its session, as it is now and as the workbook leaves it
    ("attendance-touch", P1_SEN,
     {"attendance": [changed("attendance", {"session_code": "C2-TUN-002"}, age_band="<25")]},
     [("attendance", "1 ligne hors de votre périmètre (TUN)")]),
    ("attendance-into", P1_SEN,
     {"sessions": [changed("sessions", {"code": "C2-TUN-002"}, country_iso3="SEN")],
      "attendance": [changed("attendance", {"session_code": "C2-TUN-002"}, age_band="50+")]},
     [("sessions", TUN_OUT), ("attendance", TUN_OUT)]),
    ("attendance-out", P1_SEN,
     {"sessions": [changed("sessions", {"code": "S1"}, country_iso3="TUN")],
      "attendance": [changed("attendance", {"participant_key": "P-aa01", "session_code": "S1"}, age_band="50+")]},
     [("sessions", TUN_OUT), ("attendance", TUN_OUT)]),
]


@pytest.mark.parametrize("scope, workbook, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_scoped_manager_cannot_touch_pull_in_or_push_out_a_row(db, scope, workbook, expected):
    before = dump(db)
    applied = import_workbook(db, workbook, scope=scope, actor=scope.email)
    assert not applied.ok
    after = dump(db)
    assert len(after.pop("audit_log")) == len(before.pop("audit_log")) + 1  # the refusal is logged
    assert after == before
    dry = import_workbook(db, workbook, scope=scope, dry_run=True)  # one summary line per sheet
    assert [(e["sheet"], e["message"]) for e in dry.error_rows()] == expected


def test_the_same_rows_inside_the_scope_are_written(db):
    """The check is not simply "refuse": a SEN manager changes a SEN line and a SEN session."""
    workbook = {"budget_lines": [changed("budget_lines", {"programme_code": "P1", "code": "L1"}, amount=1311914)],
                "sessions": [changed("sessions", {"code": "S1"}, title="Formation suivi")]}
    report = import_workbook(db, workbook, scope=P1_SEN)
    assert report.ok and report.counts["budget_lines"]["updated"] == 1 and report.counts["sessions"]["updated"] == 1
    with db.connect() as conn:
        bl = s.budget_lines.c
        assert conn.scalar(sa.select(bl.amount_eur).where(bl.code == "L1", bl.programme_code == "P1")) == 2000


@pytest.mark.parametrize("sheet, code, old, new", [("grants", "G2", "P2", "P1"), ("sessions", "S2", "P2", "P1")])
def test_moving_a_row_to_another_programme_is_a_dry_run_error_even_for_an_administrator(db, sheet, code, old, new):
    before = dump(db)
    workbook = {sheet: [changed(sheet, {"code": code}, programme_code=new)]}
    dry = import_workbook(db, workbook, dry_run=True)
    assert [(e["sheet"], e["row"], e["column"], e["value"], e["message"]) for e in dry.error_rows("en")] == [
        (sheet, 2, "programme_code", new,
         f"{code} already belongs to programme {old}: it cannot move to programme {new}")]
    assert not import_workbook(db, workbook).ok  # not an IntegrityError
    after = dump(db)
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before


def test_the_out_of_scope_summary_is_one_line_per_sheet_with_the_count_formatted_in_each_language(db):
    def measurement(country, day):
        return {"programme_code": "P1", "indicator_code": "I1", "country_iso3": country,
                "period_end": D(2020, 1, 1) + dt.timedelta(days=day), "value": 1}

    rows = ([measurement("TUN", d) for d in range(1000)] + [measurement("MLI", d) for d in range(600)]
            + [measurement("CIV", d) for d in range(70)] + [measurement("GIN", d) for d in range(7)]
            + [measurement("SEN", d) for d in range(5)])  # 1 677 rows outside, 5 inside
    report = import_workbook(db, {"measurements": rows}, scope=P1_SEN, dry_run=True)
    assert [(e["sheet"], e["row"], e["message"]) for e in report.error_rows("fr")] == [
        ("measurements", None, "1\u202f677 lignes hors de votre périmètre (TUN, MLI, CIV…)")]
    assert [e["message"] for e in report.error_rows("en")] == ["1,677 rows outside your scope (TUN, MLI, CIV…)"]


def test_in_app_edits_check_the_scope_of_the_row_they_change(db):
    """A SEN manager's edit of the TUN measurement is refused, and nothing changes."""
    before = dump(db)
    edit = editing.Edit(changed("measurements", {"programme_code": "P1", "country_iso3": "TUN"}, value=99), 1)
    result = editing.save(db, P1_SEN, "measurements", [edit])
    assert result.denied and not result.ok
    after = dump(db)
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before


# --- exchange rates ---------------------------------------------------------------------------------

def _tnd_programme(code: str, rate: float) -> dict[str, list[dict]]:
    """A programme starting in January 2022 with a 1 000 TND budget line and a 320 TND expense in
    March 2022, and the January TND rate."""
    return {
        "programmes": [{"code": code, "name": code, "start_date": D(2022, 1, 1), "end_date": D(2023, 1, 1)}],
        "budget_lines": [{"programme_code": code, "code": "TN1", "country_iso3": "TUN", "category": "activities",
                          "label": "Ateliers", "amount": 1000, "currency": "TND"}],
        "expenditures": [{"programme_code": code, "reference": "X1", "budget_line_code": "TN1",
                          "date": D(2022, 3, 10), "amount": 320, "currency": "TND"}],
        "fx_rates": [{"currency": "TND", "month": "2022-01", "per_eur": rate}],
    }


def _eur(engine, programme):
    with engine.connect() as conn:
        budget = conn.scalar(sa.select(s.budget_lines.c.amount_eur).where(s.budget_lines.c.programme_code == programme))
        spent = conn.scalar(sa.select(s.expenditures.c.amount_eur).where(s.expenditures.c.programme_code == programme))
        rates = dict(conn.execute(sa.select(s.fx_rates.c.month, s.fx_rates.c.per_eur)
                                  .where(s.fx_rates.c.currency == "TND")).all())
    return budget, spent, rates


@pytest.fixture
def tnd(engine):
    # Q: 1 000 TND / 3.2 = 312.5 EUR budget; 320 TND in March at the January rate (the latest
    # earlier month) = 100 EUR spent.
    assert import_workbook(engine, _tnd_programme("Q", 3.2)).ok
    assert _eur(engine, "Q") == (pytest.approx(312.5), pytest.approx(100.0), {"2022-01": 3.2})
    return engine


def test_the_dry_run_lists_the_rates_a_workbook_changes_and_the_programmes_whose_figures_change(tnd):
    # R's workbook brings TND 2022-01 = 3.125 (a change) and 2022-03 = 4 (new): Q's budget becomes
    # 1 000 / 3.125 = 320 EUR and its March expense 320 / 4 = 80 EUR.
    workbook = _tnd_programme("R", 3.125)
    workbook["fx_rates"].append({"currency": "TND", "month": "2022-03", "per_eur": 4})
    dry = import_workbook(tnd, workbook, dry_run=True)
    assert dry.ok
    assert dry.rate_changes == [{"currency": "TND", "month": "2022-01", "old": 3.2, "new": 3.125}]
    assert dry.rate_programmes == ["Q"]
    assert dry.rate_lines("fr") == ["Taux de change existants modifiés : 1", "TND 2022-01 : 3,2 → 3,125",
                                    "Programmes dont les montants en euros changent : Q"]
    assert dry.render("en").splitlines()[-3:] == ["Existing exchange rates changed: 1", "TND 2022-01: 3.2 → 3.125",
                                                  "Programmes whose euro amounts change: Q"]
    assert _eur(tnd, "Q") == (pytest.approx(312.5), pytest.approx(100.0), {"2022-01": 3.2})  # a dry run
    assert import_workbook(tnd, workbook).ok
    assert _eur(tnd, "Q") == (pytest.approx(320.0), pytest.approx(80.0), {"2022-01": 3.125, "2022-03": 4})
    with tnd.connect() as conn:
        details = conn.scalar(sa.select(s.audit_log.c.details).where(s.audit_log.c.action == "import")
                              .order_by(s.audit_log.c.id.desc()).limit(1))
    assert details["rate_programmes"] == ["Q"] and details["rate_changes"][0]["old"] == 3.2


def test_a_rate_that_changes_no_existing_figure_lists_nothing(tnd):
    workbook = {"fx_rates": [{"currency": "TND", "month": "2022-01", "per_eur": 3.2},  # unchanged
                             {"currency": "MAD", "month": "2022-01", "per_eur": 10.5}]}  # nobody uses MAD
    dry = import_workbook(tnd, workbook, dry_run=True)
    assert dry.ok and dry.rate_changes == [] and dry.rate_programmes == [] and dry.rate_lines("en") == []


def test_rates_that_would_change_a_programme_outside_the_writers_scope_are_refused(tnd):
    # A manager of R (rates are for administrators anyway) is also told whose figures would move:
    # Q's (outside the scope), not R's (inside).
    assert import_workbook(tnd, {k: v for k, v in _tnd_programme("R", 3.2).items() if k != "fx_rates"}).ok
    manager_r = auth.Scope(9, "r@forim.test", "manager", frozenset({"R"}), None)
    before = dump(tnd)
    report = import_workbook(tnd, {"fx_rates": [{"currency": "TND", "month": "2022-01", "per_eur": 3.125}]},
                             scope=manager_r)
    assert [(e["sheet"], e["message"]) for e in report.error_rows("en")] == [
        ("fx_rates", "1 row: a sheet only administrators may write"),
        ("fx_rates", "these exchange rates would change the euro amounts of programmes outside your scope: Q")]
    after = dump(tnd)
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before


def test_keeping_existing_rates_leaves_another_programmes_figures_as_they_were(tnd):
    """What load-demo does: R's TND rates are left out, January's (a change) and February's (new,
    it would not change Q here but a new month can move rows that used a neighbouring month's
    rate); Q keeps 312.5 EUR and R is converted at the database's 3.2 too. R's MAD rate, a
    currency the database has no rate for, is imported."""
    workbook = _tnd_programme("R", 3.125)
    workbook["fx_rates"] += [{"currency": "TND", "month": "2022-02", "per_eur": 3.0},
                             {"currency": "MAD", "month": "2022-01", "per_eur": 10.5}]
    report = import_workbook(tnd, workbook, keep_existing_rates=True)
    assert report.ok and report.kept_rates == 2 and report.rate_changes == [] and report.rate_programmes == []
    assert report.counts["fx_rates"] == {"inserted": 1, "updated": 0, "unchanged": 0, "deleted": 0}
    assert _eur(tnd, "Q") == (pytest.approx(312.5), pytest.approx(100.0), {"2022-01": 3.2})
    assert _eur(tnd, "R")[:2] == (pytest.approx(312.5), pytest.approx(100.0))
    assert report.rate_lines("fr") == [
        "Taux non importés (la base a déjà des taux pour ces devises, conservés) : 2"]


def test_cli_load_demo_into_a_database_with_another_programme_keeps_its_rates(tmp_path, capsys):
    from dashboard.__main__ import main
    from dashboard.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = make_engine(url)
    upgrade(engine)
    # the demo has 56 TND rates, among them 2022-01 = 3.2693 and 2022-03 = 3.2458
    assert import_workbook(engine, _tnd_programme("Q", 3.2)).ok
    assert main(["load-demo", "--db", url]) == 0
    assert "the database already has rates for these currencies, kept): 56" in capsys.readouterr().out
    assert _eur(engine, "Q") == (pytest.approx(312.5), pytest.approx(100.0), {"2022-01": 3.2})
    with engine.connect() as conn:
        assert set(conn.scalars(sa.select(s.programmes.c.code))) == {"Q", "PCRPM-C2", "LT-PAIRS"}
        currencies = dict(conn.execute(sa.select(s.fx_rates.c.currency, sa.func.count())
                                       .group_by(s.fx_rates.c.currency)).all())
    assert currencies == {"TND": 1, "GNF": 22, "MAD": 22}  # the demo's other rates were imported
    engine.dispose()
