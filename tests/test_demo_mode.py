"""Demo mode is a recorded state of the database (dashboard/demo_state.py): set only by the
first-start demo load, ended for good, with the demo accounts deleted, by the first other write.
On SQLite and PostgreSQL where the ``engine`` fixture applies."""
from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import auth, demo_state, editing
from dashboard import schema as s
from dashboard.__main__ import main
from dashboard.bootstrap import load_demo
from dashboard.db import make_engine, upgrade
from dashboard.importer import import_workbook

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)
PASSWORD = "correct horse battery"
DEMO_EMAILS = sorted(a["email"] for a in auth.DEMO_ACCOUNTS)
ADMIN = auth.DEMO_ACCOUNTS[0]  # admin@demo.invalid / demo-admin-2026
OTHER = {"programmes": [{"code": "REAL-1", "name": "Programme réel", "start_date": dt.date(2025, 1, 1),
                         "end_date": dt.date(2026, 12, 31)}]}


@pytest.fixture
def demo_mode_db(engine, demo_workbooks):
    """What the first start of the embedded database does: the demo load that records demo mode."""
    assert import_workbook(engine, demo_workbooks[0], actor="demo", start_demo_mode=True).ok
    return engine


def emails_of_demo_accounts(engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.scalars(sa.select(s.users.c.email).where(s.users.c.is_demo.is_(True))))


def demo_mode_rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(s.app_state.c.key, s.app_state.c.value))]


def audit(engine, action: str) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(s.audit_log.c.actor, s.audit_log.c.details)
                                              .where(s.audit_log.c.action == action)).mappings()]


def assert_ended(engine, actor: str, reason: str) -> None:
    """Demo mode off, every demo account and its scopes gone, the end audited, demo admin refused."""
    assert demo_mode_rows(engine) == []
    assert emails_of_demo_accounts(engine) == []
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(s.user_scopes).join(
            s.users, s.users.c.id == s.user_scopes.c.user_id, isouter=True).where(s.users.c.id.is_(None))).scalar() == 0
    assert audit(engine, "demo_mode_end") == [{"actor": actor, "details": {
        "reason": reason, "deleted_accounts": DEMO_EMAILS}}]
    assert auth.authenticate(engine, ADMIN["email"], ADMIN["password"], True, NOW).user_id is None
    assert not demo_state.is_on(engine)


def demo_scope(engine, email: str) -> auth.Scope:
    with engine.connect() as conn:
        user_id = conn.scalar(sa.select(s.users.c.id).where(s.users.c.email == email))
    return auth.load_scope(engine, user_id)


# --- the recorded state -----------------------------------------------------------------------

def test_the_first_start_load_records_demo_mode_with_its_accounts(demo_mode_db):
    assert demo_mode_rows(demo_mode_db) == [("demo_mode", "on")]
    assert emails_of_demo_accounts(demo_mode_db) == DEMO_EMAILS  # the 6 accounts of auth.DEMO_ACCOUNTS
    assert audit(demo_mode_db, "demo_mode_start") == [{"actor": "demo", "details": {
        "programmes": ["LT-PAIRS", "PCRPM-C2"]}}]
    assert auth.authenticate(demo_mode_db, ADMIN["email"], ADMIN["password"], True, NOW).key == "auth.ok"


def test_the_demo_load_and_demo_mode_are_one_transaction(engine, demo_workbooks, monkeypatch):
    def broken(conn):
        raise RuntimeError("disk full")

    monkeypatch.setattr(auth, "create_demo_accounts", broken)
    with pytest.raises(RuntimeError):
        import_workbook(engine, demo_workbooks[0], start_demo_mode=True)
    with engine.connect() as conn:  # neither the programmes nor the state were written
        assert conn.execute(sa.select(sa.func.count()).select_from(s.programmes)).scalar() == 0
    assert demo_mode_rows(engine) == []


def test_load_demo_on_a_database_holding_other_data_does_not_start_demo_mode(engine):
    assert import_workbook(engine, OTHER).ok
    auth.add_user(engine, "amina@forim.test", "admin", PASSWORD)
    assert load_demo(engine, actor="cli", start_demo_mode=True).ok
    assert demo_mode_rows(engine) == []
    assert emails_of_demo_accounts(engine) == []  # the published demo passwords never reach real data
    with engine.connect() as conn:
        assert sorted(conn.scalars(sa.select(s.programmes.c.code))) == ["LT-PAIRS", "PCRPM-C2", "REAL-1"]


def test_load_demo_without_start_creates_no_demo_account(engine):
    assert load_demo(engine).ok
    assert demo_mode_rows(engine) == [] and emails_of_demo_accounts(engine) == []


def test_reloading_the_demo_keeps_demo_mode(demo_mode_db):
    assert load_demo(demo_mode_db, actor="cli", start_demo_mode=True).ok
    assert demo_mode_rows(demo_mode_db) == [("demo_mode", "on")]
    assert emails_of_demo_accounts(demo_mode_db) == DEMO_EMAILS


def test_demo_accounts_are_refused_when_demo_mode_is_off_even_if_present(engine, demo_workbooks):
    assert import_workbook(engine, demo_workbooks[0]).ok
    with engine.begin() as conn:  # somehow present, without the recorded state
        auth.create_demo_accounts(conn)
    with engine.connect() as conn:
        admin_id = conn.scalar(sa.select(s.users.c.id).where(s.users.c.email == ADMIN["email"]))
    assert auth.authenticate(engine, ADMIN["email"], ADMIN["password"], True, NOW).user_id is None
    assert auth.load_scope(engine, admin_id) is None  # a session or cookie of a demo account dies too
    assert auth.user_id_for_email(engine, ADMIN["email"], demo_mode=True) is None


# --- the triggers -----------------------------------------------------------------------------

def test_an_import_of_another_programme_ends_demo_mode(demo_mode_db):
    assert import_workbook(demo_mode_db, OTHER, actor="cli").ok
    assert_ended(demo_mode_db, "cli", "import_other_programme")


def test_a_command_line_import_ends_demo_mode(demo_mode_db, tmp_path, capsys):
    folder = tmp_path / "wb"
    folder.mkdir()
    (folder / "programmes.csv").write_text("code,name,start_date,end_date\nREAL-1,Programme réel,2025-01-01,"
                                           "2026-12-31\n", encoding="utf-8")
    assert main(["import", str(folder), "--db", demo_mode_db.url.render_as_string(hide_password=False)]) == 0
    assert_ended(demo_mode_db, "cli", "import_other_programme")


def test_any_import_by_something_else_than_a_demo_account_ends_demo_mode(demo_mode_db):
    # the demo programme's own name changed from the command line: not the demo any more
    assert import_workbook(demo_mode_db, {"programmes": [{
        "code": "LT-PAIRS", "name": "Renamed", "start_date": dt.date(2024, 1, 1),
        "end_date": dt.date(2027, 6, 30)}]}, actor="cli").ok
    assert_ended(demo_mode_db, "cli", "import")


def test_a_demo_account_importing_demo_programmes_keeps_demo_mode(demo_mode_db):
    scope = demo_scope(demo_mode_db, "admin@demo.invalid")
    report = import_workbook(demo_mode_db, {"programmes": [{
        "code": "LT-PAIRS", "name": "Renamed", "start_date": dt.date(2024, 1, 1),
        "end_date": dt.date(2027, 6, 30)}]}, actor=scope.email, scope=scope)
    assert report.ok and report.counts["programmes"]["updated"] == 1
    assert demo_mode_rows(demo_mode_db) == [("demo_mode", "on")]
    assert emails_of_demo_accounts(demo_mode_db) == DEMO_EMAILS


def test_a_demo_account_importing_another_programme_on_the_data_page_ends_demo_mode(demo_mode_db):
    scope = demo_scope(demo_mode_db, "admin@demo.invalid")
    assert import_workbook(demo_mode_db, OTHER, actor=scope.email, scope=scope).ok
    assert_ended(demo_mode_db, "admin@demo.invalid", "import_other_programme")


def test_a_dry_run_or_a_rejected_import_keeps_demo_mode(demo_mode_db):
    assert import_workbook(demo_mode_db, OTHER, actor="cli", dry_run=True).ok
    bad = {"programmes": [{"code": "REAL-1", "name": "x", "start_date": dt.date(2026, 1, 1),
                           "end_date": dt.date(2025, 1, 1)}]}  # ends before it starts
    assert not import_workbook(demo_mode_db, bad, actor="cli").ok
    assert demo_mode_rows(demo_mode_db) == [("demo_mode", "on")]


def test_a_new_account_ends_demo_mode(demo_mode_db):
    auth.add_user(demo_mode_db, "amina@forim.test", "admin", PASSWORD, actor="cli")
    assert_ended(demo_mode_db, "cli", "user_add")
    with demo_mode_db.connect() as conn:  # the new account itself is there
        assert list(conn.scalars(sa.select(s.users.c.email))) == ["amina@forim.test"]


def test_a_refused_new_account_keeps_demo_mode(demo_mode_db):
    with pytest.raises(auth.AccountError):
        auth.add_user(demo_mode_db, "amina@forim.test", "admin", "short")
    assert demo_mode_rows(demo_mode_db) == [("demo_mode", "on")]


def test_users_add_on_the_command_line_ends_demo_mode(demo_mode_db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    url = demo_mode_db.url.render_as_string(hide_password=False)
    assert main(["users", "add", "amina@forim.test", "--role", "admin", "--db", url]) == 0
    assert_ended(demo_mode_db, "cli", "user_add")


def _measurement_edit(engine, country="SEN") -> editing.Edit:
    """A new measurement of an indicator of PCRPM-C2 that is entered by hand."""
    with engine.connect() as conn:
        code = conn.scalar(sa.select(s.indicators.c.code).where(
            s.indicators.c.programme_code == "PCRPM-C2", s.indicators.c.computed_from.is_(None))
            .order_by(s.indicators.c.code).limit(1))
    return editing.Edit({"programme_code": "PCRPM-C2", "indicator_code": code, "country_iso3": country,
                         "period_end": dt.date(2030, 1, 31), "value": 3, "source": None, "comment": None})


def test_an_edit_by_a_demo_account_keeps_demo_mode(demo_mode_db):
    scope = demo_scope(demo_mode_db, "gestion@demo.invalid")
    assert editing.save(demo_mode_db, scope, "measurements", [_measurement_edit(demo_mode_db)]).ok
    assert demo_mode_rows(demo_mode_db) == [("demo_mode", "on")]


def test_an_edit_by_an_account_that_is_not_a_demo_account_ends_demo_mode(demo_mode_db):
    with demo_mode_db.begin() as conn:  # an account written around add_user (which would end it itself)
        user_id = conn.execute(s.users.insert().values(email="awa@grdr.test", role="admin",
                                                       created_at=NOW).returning(s.users.c.id)).scalar_one()
    scope = auth.load_scope(demo_mode_db, user_id)
    result = editing.save(demo_mode_db, scope, "measurements", [_measurement_edit(demo_mode_db)])
    assert result.ok and result.saved == 1
    assert_ended(demo_mode_db, "awa@grdr.test", "edit")


def test_a_refused_edit_keeps_demo_mode(demo_mode_db):
    with demo_mode_db.begin() as conn:
        user_id = conn.execute(s.users.insert().values(email="awa@grdr.test", role="conseil",
                                                       created_at=NOW).returning(s.users.c.id)).scalar_one()
    scope = auth.load_scope(demo_mode_db, user_id)  # read-only
    assert editing.save(demo_mode_db, scope, "measurements", [_measurement_edit(demo_mode_db)]).denied
    assert demo_mode_rows(demo_mode_db) == [("demo_mode", "on")]


def test_ending_demo_mode_deletes_the_rows_that_refer_to_demo_accounts(demo_mode_db):
    """Scopes, and any table with a foreign key to users.id (server-side sessions)."""
    sessions = sa.Table("test_sessions", sa.MetaData(), sa.Column("user_id", sa.Integer, nullable=False))
    sessions.create(demo_mode_db)
    try:
        with demo_mode_db.begin() as conn:
            ids = list(conn.scalars(sa.select(s.users.c.id)))
            conn.execute(sessions.insert(), [{"user_id": i} for i in ids])
        fk_table = sa.Table("test_sessions", s.metadata,
                            sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False))
        try:
            with demo_mode_db.begin() as conn:
                assert demo_state.end(conn, "cli", "test")
                assert conn.execute(sa.select(sa.func.count()).select_from(sessions)).scalar() == 0
                assert conn.execute(sa.select(sa.func.count()).select_from(s.user_scopes)).scalar() == 0
        finally:
            s.metadata.remove(fk_table)
    finally:
        sessions.drop(demo_mode_db)


# --- the sign-in page -------------------------------------------------------------------------

@pytest.fixture
def app_demo(tmp_path, monkeypatch, demo_workbooks):
    import streamlit as st

    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert import_workbook(engine, demo_workbooks[0], actor="demo", start_demo_mode=True).ok
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield engine
    engine.dispose()


def listed_accounts(at) -> list[str]:
    return [row["Adresse e-mail"] for table in at.table for row in table.value.to_dict("records")]


def test_the_sign_in_page_lists_demo_accounts_until_a_new_account_ends_demo_mode(app_demo):
    from apptest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert sorted(listed_accounts(at)) == DEMO_EMAILS
    # another process (python -m dashboard users add) while the app runs
    auth.add_user(app_demo, "amina@forim.test", "admin", PASSWORD, actor="cli")
    at.run()  # the next run of the same session
    assert at.title[0].value == "Connexion" and not at.exception
    assert listed_accounts(at) == [] and not at.table
    # and the listed password no longer opens anything
    # what the sign-in route (POST /auth/signin) asks: the listed password is refused
    refused = auth.authenticate(app_demo, ADMIN["email"], ADMIN["password"], demo_mode=True)
    assert refused.user_id is None and refused.key == "auth.bad_credentials"


def test_a_demo_session_is_signed_out_once_demo_mode_ends(app_demo):
    from apptest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["session_token"] = auth.create_session(app_demo, demo_scope(app_demo, ADMIN["email"]).user_id)
    at.run()
    assert at.title[0].value.startswith("Synthèse")
    assert import_workbook(app_demo, OTHER, actor="cli").ok
    at.run()
    assert at.title[0].value == "Connexion"


# --- migration 0005 on existing databases -------------------------------------------------------

def _upgrade_from_0003(engine, demo_workbooks, real_data: bool) -> None:
    upgrade(engine, "0003")
    with engine.begin() as conn:  # what 0003's load_demo left: the demo, and demo accounts anyway
        for account in auth.DEMO_ACCOUNTS:
            conn.execute(s.users.insert().values(email=account["email"], role="conseil", created_at=NOW,
                                                 is_demo=True))
        if real_data:
            conn.execute(s.programmes.insert().values(code="REAL-1", name="Programme réel",
                                                      start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 12, 31)))
    upgrade(engine)


def test_migration_0005_deletes_demo_accounts_beside_real_data(tmp_path, demo_workbooks):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _upgrade_from_0003(engine, demo_workbooks, real_data=True)
    assert emails_of_demo_accounts(engine) == [] and demo_mode_rows(engine) == []


def test_migration_0005_keeps_demo_mode_of_the_embedded_file_holding_only_the_demo(tmp_path, demo_workbooks,
                                                                                 monkeypatch):
    path = tmp_path / "dashboard.db"
    monkeypatch.setattr("dashboard.db.DEFAULT_SQLITE_PATH", path)
    engine = make_engine(f"sqlite:///{path}")
    _upgrade_from_0003(engine, demo_workbooks, real_data=False)
    assert demo_mode_rows(engine) == [("demo_mode", "on")] and emails_of_demo_accounts(engine) == DEMO_EMAILS


def test_migration_0005_ends_demo_accounts_on_any_other_database(tmp_path, demo_workbooks):
    engine = make_engine(f"sqlite:///{tmp_path / 'elsewhere.db'}")  # not the embedded default
    _upgrade_from_0003(engine, demo_workbooks, real_data=False)
    assert emails_of_demo_accounts(engine) == [] and demo_mode_rows(engine) == []
