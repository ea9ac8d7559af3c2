"""Accounts, passwords, sign-in throttling and scopes (dashboard/auth.py), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import sqlalchemy as sa

from dashboard import auth
from dashboard import schema as s
from dashboard.db import ROOT
from dashboard.demo import build_demo
from dashboard.importer import import_workbook

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)
PASSWORD = "correct horse battery"


@pytest.fixture
def demo_db(engine):
    assert import_workbook(engine, build_demo()).ok
    return engine


def test_passwords_are_hashed_with_argon2_and_never_stored_in_clear(engine):
    auth.add_user(engine, "Amina@Forim.Test", "admin", PASSWORD)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(s.users.c.email, s.users.c.password_hash)).one()
        log = conn.execute(sa.select(s.audit_log.c.details)).scalars().all()
    assert stored.email == "amina@forim.test"
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert PASSWORD not in repr(log)


def test_sign_in_succeeds_with_the_right_password_only(engine):
    user_id = auth.add_user(engine, "amina@forim.test", "conseil", PASSWORD)
    assert auth.authenticate(engine, "AMINA@forim.test ", PASSWORD, False, NOW) == auth.SignIn(user_id, "auth.ok")
    assert auth.authenticate(engine, "amina@forim.test", "wrong", False, NOW).user_id is None
    # an unknown address gets the same answer as a wrong password
    assert auth.authenticate(engine, "nobody@forim.test", PASSWORD, False, NOW) == auth.SignIn(None, "auth.bad_credentials")


def test_failed_sign_ins_are_slowed_down_after_three(engine):
    auth.add_user(engine, "amina@forim.test", "conseil", PASSWORD)
    waits = [auth.authenticate(engine, "amina@forim.test", "wrong", False, NOW).wait_seconds for _ in range(3)]
    assert waits == [0, 0, 2]  # the third failure imposes 2 s before the next attempt
    blocked = auth.authenticate(engine, "amina@forim.test", PASSWORD, False, NOW + dt.timedelta(seconds=1))
    assert blocked.key == "auth.wait" and blocked.user_id is None  # even the right password waits
    later = NOW + dt.timedelta(seconds=3)
    assert auth.authenticate(engine, "amina@forim.test", "wrong", False, later).wait_seconds == 4  # doubles
    assert [auth.delay_after(n) for n in (1, 3, 4, 5, 20)] == [0, 2, 4, 8, 300]
    ok = auth.authenticate(engine, "amina@forim.test", PASSWORD, False, later + dt.timedelta(seconds=5))
    assert ok.key == "auth.ok"
    with engine.connect() as conn:
        assert conn.scalar(sa.select(s.users.c.failed_logins)) == 0  # reset by a success


def test_a_disabled_account_cannot_sign_in_and_loses_its_scope(engine):
    user_id = auth.add_user(engine, "amina@forim.test", "conseil", PASSWORD)
    auth.set_active(engine, "amina@forim.test", False)
    assert auth.authenticate(engine, "amina@forim.test", PASSWORD, False, NOW).user_id is None
    assert auth.load_scope(engine, user_id) is None
    auth.set_active(engine, "amina@forim.test", True)
    assert auth.load_scope(engine, user_id).role == "conseil"


@pytest.fixture
def demo_mode_db(engine):
    """The first-start demo load: the demo, its accounts and the recorded demo mode."""
    assert import_workbook(engine, build_demo(), start_demo_mode=True).ok
    return engine


def test_demo_accounts_only_work_in_demo_mode(demo_mode_db):
    with demo_mode_db.begin() as conn:
        auth.create_demo_accounts(conn)  # idempotent
    account = auth.DEMO_ACCOUNTS[0]
    assert auth.authenticate(demo_mode_db, account["email"], account["password"], True, NOW).key == "auth.ok"
    assert auth.authenticate(demo_mode_db, account["email"], account["password"], False, NOW).user_id is None
    assert auth.user_id_for_email(demo_mode_db, account["email"], demo_mode=False) is None


def test_scopes_per_role(demo_mode_db):
    demo_db = demo_mode_db
    ids = {a["email"]: auth.authenticate(demo_db, a["email"], a["password"], True, NOW).user_id
           for a in auth.DEMO_ACCOUNTS}
    conseil = auth.load_scope(demo_db, ids["conseil@demo.invalid"])
    assert conseil.programmes is None and not conseil.writes and conseil.pages == (
        "overview", "budget", "funding", "training", "progress", "packs")
    manager = auth.load_scope(demo_db, ids["gestion-senegal@demo.invalid"])
    assert manager.programmes == {"PCRPM-C2", "LT-PAIRS"} and manager.countries == {"SEN"}
    assert manager.can_write("PCRPM-C2", "SEN") and not manager.can_write("PCRPM-C2", "MLI")
    assert not manager.can_write("PCRPM-C2", None)  # a regional row needs an unrestricted manager
    assert manager.visible_countries(("MLI",)) == ("SEN",) and manager.visible_countries(()) == ("SEN",)
    # a funder sees the programmes where it has a signed grant: EF funds PCRPM-C2 only
    funder = auth.load_scope(demo_db, ids["bailleur-ef@demo.invalid"])
    assert funder.programmes == {"PCRPM-C2"} and funder.funder_code == "EF"
    assert funder.pages == ("overview", "training", "progress", "packs") and funder.suppress_small_cells
    assert not funder.writes and not funder.can_write("PCRPM-C2", "SEN")
    with pytest.raises(auth.AccessDenied):
        funder.require_read("LT-PAIRS")


@pytest.mark.parametrize("email,role,kwargs,key", [
    ("not-an-email", "admin", {}, "auth.bad_email"),
    ("a@b.org", "king", {}, "auth.bad_role"),
    ("a@b.org", "funder", {}, "auth.funder_required"),
    ("a@b.org", "funder", {"funder": "NOPE"}, "auth.unknown_funder"),
    ("a@b.org", "manager", {}, "auth.programme_required"),
    ("a@b.org", "manager", {"programmes": ["NOPE"]}, "auth.unknown_programme"),
    ("a@b.org", "conseil", {"countries": ["SEN"]}, "auth.scope_manager_only"),
])
def test_invalid_accounts_are_refused_with_a_reason(demo_db, email, role, kwargs, key):
    with pytest.raises(auth.AccountError) as err:
        auth.add_user(demo_db, email, role, PASSWORD, **kwargs)
    assert err.value.key == key


def test_short_passwords_are_refused(engine):
    with pytest.raises(auth.AccountError) as err:
        auth.add_user(engine, "a@b.org", "admin", "short")
    assert err.value.key == "auth.password_short"


def test_users_cli_reads_the_password_from_stdin_and_never_prints_it(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "dashboard", "users", *args, "--db", db], cwd=ROOT, input=stdin,
                              capture_output=True, text=True)

    added = run("add", "Amina@Forim.test", "--role", "admin", stdin=PASSWORD + "\n")
    assert added.returncode == 0 and PASSWORD not in added.stdout + added.stderr
    listed = run("list")
    assert listed.stdout.strip() == "amina@forim.test\tadmin\t\tactive"
    assert run("disable", "amina@forim.test").returncode == 0
    assert "disabled" in run("list").stdout
    assert run("set-password", "amina@forim.test", stdin="tiny\n").returncode == 1
    assert run("set-password", "amina@forim.test", stdin="another long password\n").returncode == 0
    bad = run("add", "x@y.org", "--role", "funder", stdin=PASSWORD + "\n")
    assert bad.returncode == 1 and "needs its funder" in bad.stderr
