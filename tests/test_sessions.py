"""Server-side sessions and the atomic sign-in throttle (dashboard/auth.py), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import hashlib
import threading

import pytest
import sqlalchemy as sa

from dashboard import auth
from dashboard import schema as s

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)
PASSWORD = "correct horse battery"
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def amina(engine):
    return auth.add_user(engine, "amina@forim.test", "conseil", PASSWORD)


def _rows(engine, table):
    with engine.connect() as conn:
        return conn.execute(sa.select(table)).all()


def test_a_session_is_a_row_holding_only_the_hash_of_its_token(engine, amina):
    token = auth.create_session(engine, amina, NOW)
    [row] = _rows(engine, s.user_sessions)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in repr(row)
    assert len(token) >= 40  # 32 random bytes, URL-safe
    assert row.user_id == amina
    assert auth._aware(row.created_at) == NOW and auth._aware(row.last_seen_at) == NOW
    assert auth._aware(row.expires_at) == NOW + dt.timedelta(hours=8)
    assert auth.session_user(engine, token, NOW + MIN) == amina
    assert auth.session_user(engine, token[:-1] + ("A" if token[-1] != "A" else "B"), NOW) is None
    assert auth.session_user(engine, "", NOW) is None and auth.session_user(engine, None, NOW) is None


def test_a_session_ends_after_an_hour_idle_and_eight_hours_at_most(engine, amina):
    idle = auth.create_session(engine, amina, NOW)
    assert auth.session_user(engine, idle, NOW + 59 * MIN) == amina  # used: last seen moves to 09:59
    assert auth.session_user(engine, idle, NOW + 59 * MIN + 59 * MIN) == amina  # 59 min after that
    assert auth.session_user(engine, idle, NOW + 118 * MIN + 60 * MIN) is None  # a full hour idle
    assert len(_rows(engine, s.user_sessions)) == 0  # and the dead row is gone

    busy = auth.create_session(engine, amina, NOW)
    for minutes in range(50, 8 * 60, 50):  # used every 50 minutes
        assert auth.session_user(engine, busy, NOW + minutes * MIN) == amina, minutes
    assert auth.session_user(engine, busy, NOW + 8 * 60 * MIN) is None  # 17:00: the absolute limit


def test_last_seen_is_written_at_most_once_a_minute(engine, amina):
    token = auth.create_session(engine, amina, NOW)
    auth.session_user(engine, token, NOW + dt.timedelta(seconds=30))
    assert auth._aware(_rows(engine, s.user_sessions)[0].last_seen_at) == NOW  # not written
    auth.session_user(engine, token, NOW + dt.timedelta(seconds=90))
    assert auth._aware(_rows(engine, s.user_sessions)[0].last_seen_at) == NOW + dt.timedelta(seconds=90)


def test_lifetimes_are_settings(engine, amina, monkeypatch):
    monkeypatch.setenv("DASHBOARD_SESSION_HOURS", "2")
    monkeypatch.setenv("DASHBOARD_SESSION_IDLE_MINUTES", "10")
    token = auth.create_session(engine, amina, NOW)
    assert auth._aware(_rows(engine, s.user_sessions)[0].expires_at) == NOW + dt.timedelta(hours=2)
    assert auth.session_user(engine, token, NOW + 9 * MIN) == amina
    assert auth.session_user(engine, token, NOW + 19 * MIN + dt.timedelta(seconds=1)) is None
    monkeypatch.setenv("DASHBOARD_SESSION_IDLE_MINUTES", "soon")
    with pytest.raises(ValueError, match="DASHBOARD_SESSION_IDLE_MINUTES must be a positive number"):
        auth.session_idle()
    monkeypatch.setenv("DASHBOARD_SESSION_HOURS", "0")
    with pytest.raises(ValueError, match="DASHBOARD_SESSION_HOURS"):
        auth.session_lifetime()


def test_sign_out_ends_that_session_only(engine, amina):
    first, second = auth.create_session(engine, amina, NOW), auth.create_session(engine, amina, NOW)
    auth.end_session(engine, first)
    assert auth.session_user(engine, first, NOW) is None
    assert auth.session_user(engine, second, NOW) == amina


@pytest.mark.parametrize("change", ["set_password", "disable"])
def test_a_password_change_or_disabling_the_account_ends_every_session_at_once(engine, amina, change):
    other = auth.add_user(engine, "awa@grdr.test", "conseil", PASSWORD)
    tokens = [auth.create_session(engine, amina, NOW) for _ in range(2)]
    kept = auth.create_session(engine, other, NOW)
    if change == "set_password":
        auth.set_password(engine, "amina@forim.test", "another long password")
    else:
        auth.set_active(engine, "amina@forim.test", False)
    assert [auth.session_user(engine, t, NOW) for t in tokens] == [None, None]
    assert [r.user_id for r in _rows(engine, s.user_sessions)] == [other]
    assert auth.session_user(engine, kept, NOW) == other
    if change == "disable":  # enabling again does not bring the old sessions back
        auth.set_active(engine, "amina@forim.test", True)
        assert auth.session_user(engine, tokens[0], NOW) is None


def test_a_disabled_account_is_refused_even_if_its_session_row_survived(engine, amina):
    token = auth.create_session(engine, amina, NOW)
    with engine.begin() as conn:  # e.g. disabled by hand in SQL
        conn.execute(s.users.update().values(active=False))
    assert auth.session_user(engine, token, NOW) is None


def test_creating_a_session_sweeps_dead_ones(engine, amina):
    auth.create_session(engine, amina, NOW)
    auth.create_session(engine, amina, NOW + 5 * MIN)
    auth.create_session(engine, amina, NOW + 70 * MIN)  # the first two have been idle an hour or more
    assert [auth._aware(r.created_at) for r in _rows(engine, s.user_sessions)] == [NOW + 70 * MIN]


def _parallel(engine, attempts):
    """Run ``attempts`` (email, password, address) all at once; the answers in no particular order."""
    barrier = threading.Barrier(len(attempts))
    results, errors = [], []

    def attempt(email, password, address):
        barrier.wait()
        try:
            kwargs = {"address": address} if address else {}
            results.append(auth.authenticate(engine, email, password, False, NOW, **kwargs))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=a) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_twelve_parallel_attempts_on_one_account_are_checked_one_after_the_other(engine, amina):
    attempts = [("amina@forim.test", "wrong password", None)] * 11
    attempts.insert(6, ("amina@forim.test", PASSWORD, None))
    results = _parallel(engine, attempts)
    keys = sorted(r.key for r in results)
    checked = [r for r in results if r.key != "auth.wait"]
    # Each attempt is counted before it is checked, one after the other: the 3rd locks the account
    # and every later attempt waits unchecked. The right password passes only if it was among the
    # first 3 (it then takes its count back; at most 3 more could be checked after that).
    ok = [r for r in results if r.key == "auth.ok"]
    [user] = _rows(engine, s.users)
    if ok:
        assert 3 <= len(checked) <= 6 and user.failed_logins <= 3
    else:
        assert len(checked) == 3 and keys.count("auth.bad_credentials") == 3
        assert user.failed_logins == 3 and auth._aware(user.locked_until) == NOW + dt.timedelta(seconds=2)
    assert keys.count("auth.wait") == 12 - len(checked) >= 6


def test_failures_are_counted_per_client_address_across_accounts(engine, amina):
    # one address trying twelve accounts (most of them unknown) at once
    attempts = [(f"user{i}@forim.test", "wrong password", "203.0.113.7") for i in range(11)]
    attempts.append(("amina@forim.test", "wrong password", "203.0.113.7"))
    results = _parallel(engine, attempts)
    keys = sorted(r.key for r in results)
    assert keys == ["auth.bad_credentials"] * 10 + ["auth.wait"] * 2  # 10 free failures, then 2 s
    [row] = _rows(engine, s.sign_in_failures)
    assert (row.address, row.failures) == ("203.0.113.7", 10)
    # another address is not slowed down; the right password from the blocked one waits too
    later = NOW + dt.timedelta(seconds=1)  # within the 2 s wait
    assert auth.authenticate(engine, "amina@forim.test", PASSWORD, False, later, address="198.51.100.2").key == "auth.ok"
    assert auth.authenticate(engine, "amina@forim.test", PASSWORD, False, later, address="203.0.113.7").key == "auth.wait"


def test_an_address_count_starts_again_after_an_hour_without_failure(engine, amina):
    for i in range(10):
        auth.authenticate(engine, f"user{i}@forim.test", "wrong", False, NOW, address="203.0.113.7")
    assert auth.authenticate(engine, "amina@forim.test", PASSWORD, False, NOW + dt.timedelta(seconds=1),
                             address="203.0.113.7") == auth.SignIn(None, "auth.wait", 2)
    assert [auth.address_delay_after(n) for n in (9, 10, 11, 12, 30)] == [0, 2, 4, 8, 300]
    later = NOW + dt.timedelta(hours=1, seconds=1)
    assert auth.authenticate(engine, "nobody@forim.test", "wrong", False, later, address="203.0.113.7").wait_seconds == 0
    [row] = _rows(engine, s.sign_in_failures)
    assert row.failures == 1
    # a right password is not a failure of its address
    auth.authenticate(engine, "amina@forim.test", PASSWORD, False, later, address="203.0.113.7")
    [row] = _rows(engine, s.sign_in_failures)
    assert row.failures == 1 and row.locked_until is None


def test_a_new_address_removes_the_counters_that_no_longer_count(engine, amina):
    """Without it, sign-ins tried from ever new addresses would grow the table without end: a
    counter whose last failure is older than the window and whose wait is over reads as zero, and
    goes; one within the window or still waiting stays, whatever its age."""
    hour = dt.timedelta(hours=1)
    with engine.begin() as conn:
        conn.execute(s.sign_in_failures.insert(), [
            {"address": f"198.51.100.{i}", "failures": 3, "last_failure_at": NOW - 2 * hour, "locked_until": None}
            for i in range(50)] + [
            {"address": "203.0.113.1", "failures": 4, "last_failure_at": NOW - hour, "locked_until": None},
            {"address": "203.0.113.2", "failures": 12, "last_failure_at": NOW - 30 * MIN,
             "locked_until": NOW - 20 * MIN},
            {"address": "203.0.113.3", "failures": 30, "last_failure_at": NOW - 2 * hour,
             "locked_until": NOW + MIN},  # still waiting
            {"address": "203.0.113.4", "failures": 2, "last_failure_at": NOW - 59 * MIN, "locked_until": None},
            {"address": "203.0.113.5", "failures": 0, "last_failure_at": None, "locked_until": None}])
    # a known address: nothing else is touched
    auth.authenticate(engine, "nobody@forim.test", "wrong", False, NOW, address="203.0.113.4")
    assert len(_rows(engine, s.sign_in_failures)) == 55
    # a new address: the counters older than the window and not waiting go (exactly one hour old
    # reads as zero: the window is "less than an hour")
    assert auth.authenticate(engine, "amina@forim.test", PASSWORD, False, NOW, address="192.0.2.9").key == "auth.ok"
    left = {r.address: r.failures for r in _rows(engine, s.sign_in_failures)}
    assert left == {"203.0.113.2": 12, "203.0.113.3": 30, "203.0.113.4": 3, "192.0.2.9": 0}
    # the one still waiting keeps its wait
    assert auth.authenticate(engine, "amina@forim.test", PASSWORD, False, NOW, address="203.0.113.3").key == "auth.wait"


def test_a_right_password_takes_back_the_count_of_its_own_attempt(engine, amina):
    for _ in range(9):
        auth.authenticate(engine, "nobody@forim.test", "wrong", False, NOW, address="203.0.113.7")
    # the 10th attempt from this address is counted (and would lock it) until its password proves right
    assert auth.authenticate(engine, "amina@forim.test", PASSWORD, False, NOW, address="203.0.113.7").key == "auth.ok"
    [row] = _rows(engine, s.sign_in_failures)
    assert row.failures == 9 and row.locked_until is None
    [user] = _rows(engine, s.users)
    assert user.failed_logins == 0 and user.locked_until is None and auth._aware(user.last_login_at) == NOW
