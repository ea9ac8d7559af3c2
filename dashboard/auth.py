"""Accounts, roles and scopes, decided on the server (no Streamlit here).

| role     | pages                                              | data                                   |
|----------|----------------------------------------------------|----------------------------------------|
| admin    | all, incl. Data and Administration                 | all; writes everywhere                 |
| conseil  | overview, budget, funding, training, progress      | all programmes, read-only              |
| manager  | the same plus Data                                 | their programmes (and countries); writes there |
| funder   | overview, training, progress                       | programmes where their funder has a signed grant; read-only; small cells suppressed |

Passwords are hashed with argon2 (argon2-cffi) and never logged or printed. After
``FREE_FAILURES`` consecutive failed sign-ins on an account, or ``FREE_ADDRESS_FAILURES`` from one
client address within ``ADDRESS_WINDOW``, each further attempt must wait an exponentially growing
delay (``locked_until``), which also holds across restarts and app servers. The check and the
count happen in one serialised transaction, so parallel attempts cannot all be checked.

A signed-in browser holds a server-side session (:func:`create_session`): a row of
``user_sessions`` keyed by the SHA-256 of a random token that only the browser's cookie carries.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from . import demo_state
from . import schema as s
from .db import bump_data_version

ROLES = ("admin", "conseil", "manager", "funder")
PAGES = {
    "admin": ("overview", "budget", "funding", "training", "progress", "packs", "data", "admin"),
    "conseil": ("overview", "budget", "funding", "training", "progress", "packs"),
    "manager": ("overview", "budget", "funding", "training", "progress", "packs", "data"),
    "funder": ("overview", "training", "progress", "packs"),
}
FREE_FAILURES = 3
#: Failures from one client address (over every account, known or not) before it is slowed down;
#: its count starts again after ADDRESS_WINDOW without a failure.
FREE_ADDRESS_FAILURES = 10
ADDRESS_WINDOW = dt.timedelta(hours=1)
MAX_DELAY_SECONDS = 300
MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not-a-password-" + secrets.token_hex(8))


class AccessDenied(PermissionError):
    """The signed-in user may not read or write this."""


class AccountError(ValueError):
    """A user-management request is invalid; ``key`` is an i18n catalogue key."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Scope:
    """What one signed-in user may see and change. Hashable: it is part of cache keys."""

    user_id: int | None
    email: str
    role: str
    programmes: frozenset[str] | None  # None = every programme
    countries: frozenset[str] | None  # None = every country
    funder_code: str | None = None

    @property
    def pages(self) -> tuple[str, ...]:
        return PAGES[self.role]

    @property
    def writes(self) -> bool:
        return self.role in ("admin", "manager")

    @property
    def suppress_small_cells(self) -> bool:
        return self.role == "funder"

    @property
    def sees_internal_finance(self) -> bool:
        """Budget risk, diversification, other funders' names and amounts."""
        return self.role != "funder"

    def can_read(self, programme: str) -> bool:
        return self.programmes is None or programme in self.programmes

    def require_read(self, programme: str) -> None:
        if not self.can_read(programme):
            raise AccessDenied(f"{self.email} may not read {programme}")

    def can_write(self, programme: str | None, country: str | None = None) -> bool:
        """Writes: admins anywhere; managers in their programmes and, if scoped, their countries
        (a regional row, with no country, needs a manager without country restriction)."""
        if self.role == "admin":
            return True
        if self.role != "manager" or programme is None or not self.can_read(programme):
            return False
        return self.countries is None or (country or "") in self.countries

    def require_write(self, programme: str | None, country: str | None = None) -> None:
        if not self.can_write(programme, country):
            raise AccessDenied(f"{self.email} may not write {programme}/{country or '-'}")

    def visible_countries(self, wanted) -> tuple[str, ...]:
        """The country filter a query may use: the wanted ones within the scope (all of the
        scope's countries when none is wanted and the scope is restricted)."""
        wanted = tuple(sorted(wanted or ()))
        if self.countries is None:
            return wanted
        allowed = tuple(c for c in wanted if c in self.countries)
        return allowed or tuple(sorted(self.countries))


#: The scope of the embedded app before accounts exist, and of the command line.
SYSTEM = Scope(None, "system", "admin", None, None)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("auth.password_short", n=MIN_PASSWORD_LENGTH)
    return _hasher.hash(password)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes: they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def delay_after(failures: int) -> int:
    """Seconds to wait before the next attempt after ``failures`` consecutive failures."""
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES + 1), MAX_DELAY_SECONDS)


@dataclass(frozen=True)
class SignIn:
    user_id: int | None
    key: str  # i18n key: auth.ok, auth.bad_credentials, auth.wait, auth.disabled
    wait_seconds: int = 0


@contextmanager
def serialised(engine: Engine):
    """A write transaction that other sign-in checks wait for: ``BEGIN IMMEDIATE`` on SQLite (the
    database's write lock from the first statement); on PostgreSQL the rows are locked with
    ``SELECT ... FOR UPDATE`` by the caller."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def _address_row(conn: Connection, address: str, now: dt.datetime):
    """The locked failure counter of a client address, created at zero if new; a count whose last
    failure is older than ADDRESS_WINDOW starts again.

    A new address also removes the counters that no longer count (no failure within the window,
    no wait running): they would read as zero anyway, and without this the table would keep one
    row per address ever seen, a store that anyone trying sign-ins from many addresses could
    grow without end. Rows another sign-in holds locked are skipped (PostgreSQL ``SKIP LOCKED``;
    SQLite runs one sign-in at a time)."""
    f = s.sign_in_failures.c
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    created = conn.execute(dialect.insert(s.sign_in_failures).values(address=address, failures=0)
                           .on_conflict_do_nothing().returning(f.address)).first() is not None
    if created:
        stale = (sa.select(f.address)
                 .where(f.address != address,
                        sa.or_(f.last_failure_at.is_(None), f.last_failure_at <= now - ADDRESS_WINDOW),
                        sa.or_(f.locked_until.is_(None), f.locked_until <= now))
                 .with_for_update(skip_locked=True))
        conn.execute(s.sign_in_failures.delete().where(f.address.in_(stale.scalar_subquery())))
    row = conn.execute(sa.select(f.failures, f.last_failure_at, f.locked_until)
                       .where(f.address == address).with_for_update()).one()
    last = _aware(row.last_failure_at)
    failures = row.failures if last is not None and now - last < ADDRESS_WINDOW else 0
    return failures, _aware(row.locked_until)


def address_delay_after(failures: int) -> int:
    """Seconds a client address waits after ``failures`` failures within the window."""
    if failures < FREE_ADDRESS_FAILURES:
        return 0
    return min(2 ** (failures - FREE_ADDRESS_FAILURES + 1), MAX_DELAY_SECONDS)


def authenticate(engine: Engine, email: str, password: str, demo_mode: bool, now: dt.datetime | None = None,
                 address: str | None = None) -> SignIn:
    """Check a password; count failures per account and per client ``address`` and enforce the
    delays. Never says whether the e-mail exists. A demo account is accepted only when
    ``demo_mode`` is true and the database records demo mode.

    Every attempt is counted as a failure *before* its password is checked, in one short
    serialised transaction (SQLite ``BEGIN IMMEDIATE``; PostgreSQL row locks on the address and
    account rows, always in that order), which also refuses it if the account or the address is
    waiting: parallel attempts each see the ones before them, so no more than the free attempts
    are ever checked. A right password then takes its count back in a second transaction. The
    slow argon2 check holds no lock."""
    now = now or _now()
    email = (email or "").strip().lower()
    address = (address or "")[:64] or None
    u, f = s.users.c, s.sign_in_failures.c
    with serialised(engine) as conn:
        if address:
            address_failures, address_locked = _address_row(conn, address, now)
            if address_locked and address_locked > now:
                return SignIn(None, "auth.wait", int((address_locked - now).total_seconds()) + 1)
        row = conn.execute(sa.select(u.id, u.password_hash, u.active, u.failed_logins, u.locked_until, u.is_demo)
                           .where(u.email == email).with_for_update()).first()
        locked = _aware(row.locked_until) if row is not None else None
        if locked and locked > now:
            return SignIn(None, "auth.wait", int((locked - now).total_seconds()) + 1)
        wait = 0
        if row is not None:
            wait = delay_after(row.failed_logins + 1)
            conn.execute(s.users.update().where(u.id == row.id).values(
                failed_logins=row.failed_logins + 1, locked_until=now + dt.timedelta(seconds=wait) if wait else None))
        if address:
            address_wait = address_delay_after(address_failures + 1)
            conn.execute(s.sign_in_failures.update().where(f.address == address).values(
                failures=address_failures + 1, last_failure_at=now,
                locked_until=now + dt.timedelta(seconds=address_wait) if address_wait else None))
            wait = max(wait, address_wait)
    if row is None:
        _verify(_DUMMY_HASH, password)  # the same time as a wrong password
        return SignIn(None, "auth.bad_credentials", wait)
    # A demo account only while the database itself records demo mode: a stale belief of the
    # caller cannot let one in.
    usable = row.active and row.password_hash and (not row.is_demo or (demo_mode and demo_state.is_on(engine)))
    if not (usable and _verify(row.password_hash, password)):
        return SignIn(None, "auth.bad_credentials", wait)
    with serialised(engine) as conn:  # the right password: its attempt was not a failure
        conn.execute(s.users.update().where(u.id == row.id).values(failed_logins=0, locked_until=None,
                                                                   last_login_at=now))
        if address:
            failures, _ = _address_row(conn, address, now)
            failures = max(failures - 1, 0)
            conn.execute(s.sign_in_failures.update().where(f.address == address).values(
                failures=failures, locked_until=now + dt.timedelta(seconds=address_delay_after(failures))
                if address_delay_after(failures) else None))
    return SignIn(row.id, "auth.ok")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def user_id_for_email(engine: Engine, email: str, demo_mode: bool) -> int | None:
    """The active account of an e-mail confirmed by single sign-on (OIDC), if any (see
    :func:`sso_email`). A demo account only while the database records demo mode."""
    u = s.users.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(u.id, u.active, u.is_demo).where(u.email == (email or "").strip().lower())).first()
        if row is None or not row.active or (row.is_demo and not (demo_mode and demo_state.is_on(conn))):
            return None
    return row.id


def sso_email(claims) -> str | None:
    """The e-mail of a single sign-on identity (``st.user``: the provider's OIDC claims), only when
    the provider says it verified it (``email_verified`` true); else None, and no account matches.
    An unverified address proves nothing: anyone can register it with many providers."""
    email = claims.get("email")
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # a few providers send the claim as a string
        verified = verified.strip().lower() == "true"
    return email if verified is True and email else None


def load_scope(engine: Engine, user_id: int) -> Scope | None:
    """The scope of an active user, computed from the database on every call (a role change or a
    disabled account takes effect at the user's next click)."""
    u, sc = s.users.c, s.user_scopes.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(u.id, u.email, u.role, u.funder_code, u.active, u.is_demo)
                           .where(u.id == user_id)).first()
        if row is None or not row.active or (row.is_demo and not demo_state.is_on(conn)):
            return None
        scopes = conn.execute(sa.select(sc.kind, sc.value).where(sc.user_id == user_id)).all()
        programmes = frozenset(v for k, v in scopes if k == "programme")
        countries = frozenset(v for k, v in scopes if k == "country")
        if row.role in ("admin", "conseil"):
            return Scope(row.id, row.email, row.role, None, None)
        if row.role == "manager":
            return Scope(row.id, row.email, row.role, programmes, countries or None)
        g = s.grants.c
        funded = frozenset(conn.scalars(sa.select(g.programme_code).where(
            g.funder_code == row.funder_code, g.status == "signed").distinct()))
        return Scope(row.id, row.email, "funder", funded, None, row.funder_code)


# --- account management (CLI and Administration page) -----------------------------------------

def _audit(conn, actor: str, action: str, email: str, details: dict) -> None:
    conn.execute(s.audit_log.insert().values(at=_now(), actor=actor, action=action, entity="user",
                                             entity_key=email, details=details))


def _check(conn, email: str, role: str, programmes, countries, funder: str | None) -> None:
    if not _EMAIL.match(email):
        raise AccountError("auth.bad_email")
    if role not in ROLES:
        raise AccountError("auth.bad_role", roles=", ".join(ROLES))
    if role == "funder" and not funder:
        raise AccountError("auth.funder_required")
    if role != "funder" and funder:
        raise AccountError("auth.funder_only")
    if role == "manager" and not programmes:
        raise AccountError("auth.programme_required")
    if role not in ("manager",) and (programmes or countries):
        raise AccountError("auth.scope_manager_only")
    if funder and conn.execute(sa.select(s.funders.c.code).where(s.funders.c.code == funder)).first() is None:
        raise AccountError("auth.unknown_funder", code=funder)
    known = set(conn.scalars(sa.select(s.programmes.c.code)))
    for code in programmes or ():
        if code not in known:
            raise AccountError("auth.unknown_programme", code=code)


def add_user(engine: Engine, email: str, role: str, password: str | None, programmes=(), countries=(),
             funder: str | None = None, actor: str = "cli", is_demo: bool = False) -> int:
    """Create an account. Any account that is not a demo account ends demo mode (same transaction)."""
    with engine.begin() as conn:
        user_id = _add_user(conn, email, role, password, programmes, countries, funder, actor, is_demo)
        if not is_demo:
            demo_state.end(conn, actor, "user_add")
        bump_data_version(conn)
    return user_id


def _add_user(conn, email: str, role: str, password: str | None, programmes=(), countries=(),
              funder: str | None = None, actor: str = "cli", is_demo: bool = False) -> int:
    email = email.strip().lower()
    _check(conn, email, role, programmes, countries, funder)
    if conn.execute(sa.select(s.users.c.id).where(s.users.c.email == email)).first():
        raise AccountError("auth.exists", email=email)
    user_id = conn.execute(s.users.insert().values(
        email=email, role=role, password_hash=hash_password(password) if password else None,
        funder_code=funder, created_at=_now(), is_demo=is_demo).returning(s.users.c.id)).scalar_one()
    _write_scopes(conn, user_id, programmes, countries)
    _audit(conn, actor, "user_add", email, {"role": role, "programmes": sorted(programmes or ()),
                                           "countries": sorted(countries or ()), "funder": funder})
    return user_id


def _write_scopes(conn, user_id: int, programmes, countries) -> None:
    conn.execute(s.user_scopes.delete().where(s.user_scopes.c.user_id == user_id))
    rows = [{"user_id": user_id, "kind": "programme", "value": p} for p in sorted(set(programmes or ()))]
    rows += [{"user_id": user_id, "kind": "country", "value": c} for c in sorted(set(countries or ()))]
    if rows:
        conn.execute(s.user_scopes.insert(), rows)


def update_user(engine: Engine, email: str, role: str, programmes=(), countries=(), funder: str | None = None,
                actor: str = "cli") -> None:
    email = email.strip().lower()
    with engine.begin() as conn:
        _check(conn, email, role, programmes, countries, funder)
        user_id = _id(conn, email)
        conn.execute(s.users.update().where(s.users.c.id == user_id).values(role=role, funder_code=funder))
        _write_scopes(conn, user_id, programmes, countries)
        _audit(conn, actor, "user_update", email, {"role": role, "programmes": sorted(programmes or ()),
                                                  "countries": sorted(countries or ()), "funder": funder})
        bump_data_version(conn)


def _id(conn, email: str) -> int:
    user_id = conn.scalar(sa.select(s.users.c.id).where(s.users.c.email == email.strip().lower()))
    if user_id is None:
        raise AccountError("auth.unknown_user", email=email)
    return user_id


def set_active(engine: Engine, email: str, active: bool, actor: str = "cli") -> None:
    with engine.begin() as conn:
        user_id = _id(conn, email)
        conn.execute(s.users.update().where(s.users.c.id == user_id).values(active=active))
        if not active:
            end_user_sessions(conn, user_id)
        _audit(conn, actor, "user_enable" if active else "user_disable", email.strip().lower(), {})
        bump_data_version(conn)


def set_password(engine: Engine, email: str, password: str, actor: str = "cli") -> None:
    with engine.begin() as conn:
        user_id = _id(conn, email)
        conn.execute(s.users.update().where(s.users.c.id == user_id).values(
            password_hash=hash_password(password), failed_logins=0, locked_until=None))
        end_user_sessions(conn, user_id)  # every browser signed in with the old password is signed out
        _audit(conn, actor, "user_password", email.strip().lower(), {})  # never the password itself
        bump_data_version(conn)


def new_password() -> str:
    """A random password for a reset, shown once to the administrator."""
    return secrets.token_urlsafe(12)


def list_users(engine: Engine) -> list[dict]:
    u, sc = s.users.c, s.user_scopes.c
    with engine.connect() as conn:
        users = [dict(r) for r in conn.execute(sa.select(
            u.id, u.email, u.role, u.funder_code, u.active, u.is_demo, u.last_login_at).order_by(u.email)).mappings()]
        scopes = conn.execute(sa.select(sc.user_id, sc.kind, sc.value).order_by(sc.value)).all()
    for user in users:
        user["programmes"] = [v for i, k, v in scopes if i == user["id"] and k == "programme"]
        user["countries"] = [v for i, k, v in scopes if i == user["id"] and k == "country"]
    return users


# --- demo accounts ----------------------------------------------------------------------------

#: Listed on the sign-in page in demo mode only; refused by :func:`authenticate`,
#: :func:`load_scope` and :func:`user_id_for_email` outside it, deleted when it ends.
DEMO_ACCOUNTS = (
    {"email": "admin@demo.invalid", "password": "demo-admin-2026", "role": "admin"},
    {"email": "conseil@demo.invalid", "password": "demo-conseil-2026", "role": "conseil"},
    {"email": "gestion@demo.invalid", "password": "demo-gestion-2026", "role": "manager",
     "programmes": ("PCRPM-C2",), "countries": ()},
    {"email": "gestion-senegal@demo.invalid", "password": "demo-senegal-2026", "role": "manager",
     "programmes": ("PCRPM-C2", "LT-PAIRS"), "countries": ("SEN",)},
    {"email": "bailleur-ef@demo.invalid", "password": "demo-bailleur-2026", "role": "funder", "funder": "EF"},
    {"email": "bailleur-fap@demo.invalid", "password": "demo-fondation-2026", "role": "funder", "funder": "FAP"},
)


def create_demo_accounts(conn) -> None:
    """Create the demo accounts that do not exist yet (idempotent), on the caller's connection:
    :func:`dashboard.demo_state.start`, in the demo load's transaction."""
    existing = set(conn.scalars(sa.select(s.users.c.email)))
    for account in DEMO_ACCOUNTS:
        if account["email"] not in existing:
            _add_user(conn, account["email"], account["role"], account["password"],
                      account.get("programmes", ()), account.get("countries", ()), account.get("funder"),
                      actor="demo", is_demo=True)


# --- server-side sessions (the "stay signed in" cookie) ----------------------------------------

#: Default lifetimes; DASHBOARD_SESSION_HOURS and DASHBOARD_SESSION_IDLE_MINUTES override them.
SESSION_HOURS = 8
SESSION_IDLE_MINUTES = 60
#: last_seen_at is only written when older than this: a click does not write every time.
TOUCH_SECONDS = 60


def _setting(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        number = float(value) if value else default
    except ValueError:
        number = -1
    if not number > 0:
        raise ValueError(f"{name} must be a positive number, not {value!r}")
    return number


def session_lifetime() -> dt.timedelta:
    """The absolute lifetime of a session (default 8 hours)."""
    return dt.timedelta(hours=_setting("DASHBOARD_SESSION_HOURS", SESSION_HOURS))


def session_idle() -> dt.timedelta:
    """A session not used for this long ends (default 1 hour)."""
    return dt.timedelta(minutes=_setting("DASHBOARD_SESSION_IDLE_MINUTES", SESSION_IDLE_MINUTES))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(engine: Engine, user_id: int, now: dt.datetime | None = None) -> str:
    """A new session for ``user_id``; returns the token for the cookie (only its hash is stored).
    Expired sessions of everyone are deleted on the way."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    us = s.user_sessions.c
    with engine.begin() as conn:
        conn.execute(s.user_sessions.delete().where(
            (us.expires_at <= now) | (us.last_seen_at <= now - session_idle())))
        conn.execute(s.user_sessions.insert().values(token_hash=token_hash(token), user_id=user_id, created_at=now,
                                                     last_seen_at=now, expires_at=now + session_lifetime()))
    return token


def session_user(engine: Engine, token: str | None, now: dt.datetime | None = None) -> int | None:
    """The user of a live session, or None: unknown token, past its expiry, idle for longer than
    :func:`session_idle`, or its account disabled (the row is then deleted). A live session's
    ``last_seen_at`` is moved to now when older than TOUCH_SECONDS."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = now or _now()
    us, u = s.user_sessions.c, s.users.c
    key = token_hash(token)
    with engine.connect() as conn:
        row = conn.execute(sa.select(us.user_id, us.last_seen_at, us.expires_at, u.active)
                           .join(s.users, u.id == us.user_id).where(us.token_hash == key)).first()
    if row is None:
        return None
    last_seen = _aware(row.last_seen_at)
    if _aware(row.expires_at) <= now or last_seen + session_idle() <= now or not row.active:
        end_session(engine, token)
        return None
    if (now - last_seen).total_seconds() > TOUCH_SECONDS:
        with engine.begin() as conn:
            conn.execute(s.user_sessions.update().where(us.token_hash == key).values(last_seen_at=now))
    return row.user_id


def end_session(engine: Engine, token: str | None) -> None:
    """Sign one browser out (its cookie's token no longer works anywhere)."""
    if token:
        with engine.begin() as conn:
            conn.execute(s.user_sessions.delete().where(s.user_sessions.c.token_hash == token_hash(token)))


def end_user_sessions(conn: Connection, user_id: int) -> None:
    """Sign every browser of ``user_id`` out, within the caller's transaction."""
    conn.execute(s.user_sessions.delete().where(s.user_sessions.c.user_id == user_id))
