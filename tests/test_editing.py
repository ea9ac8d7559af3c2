"""In-app edits: validation like the importer, write scopes, optimistic concurrency, audit."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard import auth, editing
from dashboard import schema as s
from dashboard.importer import import_workbook
from workbooks import good_workbook

D = dt.date


@pytest.fixture
def db(engine):
    assert import_workbook(engine, good_workbook()).ok
    return engine


def manager(countries=None):
    return auth.Scope(7, "gestion@forim.test", "manager", frozenset({"P1"}), frozenset(countries) if countries else None)


ADMIN = auth.Scope(1, "admin@forim.test", "admin", None, None)
CONSEIL = auth.Scope(2, "conseil@forim.test", "conseil", None, None)
FUNDER = auth.Scope(3, "afd@forim.test", "funder", frozenset({"P1"}), None, "AFD")


def sen_measurement(value, version=1, period=D(2022, 6, 30)):
    return editing.Edit({"programme_code": "P1", "indicator_code": "I1", "country_iso3": "SEN", "period_end": period,
                         "value": value, "source": "rapport", "comment": None}, version)


def measurement(db):
    with db.connect() as conn:
        return conn.execute(sa.select(s.measurements.c.value, s.measurements.c.version)).one()


def audit(db, action=None):
    with db.connect() as conn:
        stmt = sa.select(s.audit_log).order_by(s.audit_log.c.id)
        rows = conn.execute(stmt).mappings().all()
    return [r for r in rows if action is None or r["action"] == action]


def test_a_manager_saves_a_measurement_and_the_audit_log_has_before_and_after(db):
    result = editing.save(db, manager(), "measurements", [sen_measurement(6)])
    assert result.ok and result.saved == 1
    assert tuple(measurement(db)) == (6.0, 2)
    (entry,) = audit(db, "edit")
    assert entry["actor"] == "gestion@forim.test" and entry["entity_key"] == "P1 / I1 / SEN / 2022-06-30"
    assert entry["before"]["value"] == 4.0 and entry["after"]["value"] == 6.0


def test_two_managers_editing_the_same_measurement_the_second_is_refused_and_nothing_is_lost(db):
    first = editing.save(db, manager(), "measurements", [sen_measurement(6, version=1)])
    second = editing.save(db, manager(["SEN"]), "measurements", [sen_measurement(9, version=1)])  # stale
    assert first.ok and not second.ok
    (conflict,) = second.conflicts
    assert conflict.mine["value"] == 9.0 and conflict.theirs["value"] == 6.0  # the other person's value
    assert tuple(measurement(db)) == (6.0, 2)  # the first save stands
    refused = audit(db, "edit_refused")
    assert [(e["before"]["value"], e["after"]["value"]) for e in refused] == [(6.0, 9.0)]
    assert len(audit(db, "edit")) == 1


def test_one_conflict_refuses_the_whole_save(db):
    editing.save(db, manager(), "measurements", [sen_measurement(6, version=1)])
    new_row = sen_measurement(2, version=None, period=D(2022, 12, 31))
    result = editing.save(db, manager(), "measurements", [new_row, sen_measurement(7, version=1)])
    assert not result.ok
    with db.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(s.measurements)) == 1  # the new row was not kept


def test_adding_a_row_that_someone_else_added_meanwhile_is_a_conflict(db):
    new = sen_measurement(2, version=None, period=D(2022, 12, 31))
    assert editing.save(db, manager(), "measurements", [new]).ok
    again = editing.save(db, manager(), "measurements", [sen_measurement(3, version=None, period=D(2022, 12, 31))])
    assert not again.ok and again.conflicts[0].theirs["value"] == 2.0


@pytest.mark.parametrize("scope", [CONSEIL, FUNDER, manager(["MLI"])], ids=["conseil", "funder", "other-country"])
def test_read_only_roles_and_managers_outside_their_scope_cannot_write(db, scope):
    result = editing.save(db, scope, "measurements", [sen_measurement(99)])
    assert result.denied and not result.ok
    assert tuple(measurement(db)) == (4.0, 1)
    assert audit(db, "edit_refused")[0]["details"]["reason"] == "denied"


def test_targets_are_edited_by_administrators_only(db):
    target = editing.Edit({"programme_code": "P1", "indicator_code": "I1", "country_iso3": "SEN",
                           "period_end": D(2023, 1, 1), "target": 12}, 1)
    assert editing.save(db, manager(), "targets", [target]).denied
    assert editing.save(db, ADMIN, "targets", [target]).ok


def test_edits_are_validated_like_an_import(db):
    bad = editing.Edit({"programme_code": "P1", "indicator_code": "I2", "country_iso3": None,
                        "period_end": D(2022, 6, 30), "value": 3}, None)  # I2 is computed
    result = editing.save(db, ADMIN, "measurements", [bad])
    assert not result.ok and result.issues[0].key == "imp.computed_has_measurements"
    typo = sen_measurement("quatre")
    assert editing.save(db, ADMIN, "measurements", [typo]).issues[0].key == "imp.bad_number"
    assert tuple(measurement(db)) == (4.0, 1)


def test_a_manager_import_outside_the_scope_is_rejected_whole(db):
    wb = good_workbook()
    report = import_workbook(db, {"measurements": wb["measurements"], "fx_rates": wb["fx_rates"]},
                             scope=manager(["SEN"]))
    assert not report.ok
    # one summary line per sheet, not one line per row
    assert [(e["sheet"], e["row"], e["message"]) for e in report.error_rows()] == [
        ("fx_rates", None, "2 lignes : feuille réservée à l'administration")]
    scoped = import_workbook(db, {"measurements": wb["measurements"]}, scope=manager(["MLI"]))
    assert [(e["sheet"], e["row"], e["message"]) for e in scoped.error_rows()] == [
        ("measurements", None, "1 ligne hors de votre périmètre (SEN)")]
    assert import_workbook(db, {"measurements": wb["measurements"]}, scope=manager(["SEN"])).ok
    assert not import_workbook(db, wb, scope=manager(), replace_programme="P9").ok
