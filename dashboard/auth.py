"""Accounts, roles and scopes, decided on the server (no Streamlit here).

| role     | pages                                              | data                                   |
|----------|----------------------------------------------------|----------------------------------------|
| admin    | all, incl. Data and Administration                 | all; writes everywhere                 |
| conseil  | overview, budget, funding, training, progress      | all programmes, read-only              |
| manager  | the same plus Data                                 | their programmes (and countries); writes there |
| funder   | overview, training, progress                       | programmes where their funder has a signed grant; read-only; small cells suppressed |

Passwords are hashed with argon2 (argon2-cffi) and never logged or printed. After
``FREE_FAILURES`` consecutive failed sign-ins, each further attempt must wait an exponentially
growing delay (``locked_until``), which also holds across restarts and app servers.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine

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


def authenticate(engine: Engine, email: str, password: str, demo_mode: bool, now: dt.datetime | None = None) -> SignIn:
    """Check a password; count failures and enforce the delay. Never says whether the e-mail exists."""
    now = now or _now()
    email = (email or "").strip().lower()
    u = s.users.c
    with engine.begin() as conn:
        row = conn.execute(sa.select(u.id, u.password_hash, u.active, u.failed_logins, u.locked_until, u.is_demo)
                           .where(u.email == email)).first()
        if row is None:
            _verify(_DUMMY_HASH, password)
            return SignIn(None, "auth.bad_credentials")
        locked = _aware(row.locked_until)
        if locked and locked > now:
            return SignIn(None, "auth.wait", int((locked - now).total_seconds()) + 1)
        usable = row.active and row.password_hash and (demo_mode or not row.is_demo)
        if usable and _verify(row.password_hash, password):
            conn.execute(s.users.update().where(u.id == row.id).values(failed_logins=0, locked_until=None,
                                                                       last_login_at=now))
            return SignIn(row.id, "auth.ok")
        failures = row.failed_logins + 1
        wait = delay_after(failures)
        conn.execute(s.users.update().where(u.id == row.id).values(
            failed_logins=failures, locked_until=now + dt.timedelta(seconds=wait) if wait else None))
        return SignIn(None, "auth.bad_credentials", wait)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def user_id_for_email(engine: Engine, email: str, demo_mode: bool) -> int | None:
    """The active account of an e-mail confirmed by single sign-on (OIDC), if any."""
    u = s.users.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(u.id, u.active, u.is_demo).where(u.email == (email or "").strip().lower())).first()
    if row is None or not row.active or (row.is_demo and not demo_mode):
        return None
    return row.id


def load_scope(engine: Engine, user_id: int) -> Scope | None:
    """The scope of an active user, computed from the database on every call (a role change or a
    disabled account takes effect at the user's next click)."""
    u, sc = s.users.c, s.user_scopes.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(u.id, u.email, u.role, u.funder_code, u.active).where(u.id == user_id)).first()
        if row is None or not row.active:
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
    email = email.strip().lower()
    with engine.begin() as conn:
        _check(conn, email, role, programmes, countries, funder)
        if conn.execute(sa.select(s.users.c.id).where(s.users.c.email == email)).first():
            raise AccountError("auth.exists", email=email)
        user_id = conn.execute(s.users.insert().values(
            email=email, role=role, password_hash=hash_password(password) if password else None,
            funder_code=funder, created_at=_now(), is_demo=is_demo).returning(s.users.c.id)).scalar_one()
        _write_scopes(conn, user_id, programmes, countries)
        _audit(conn, actor, "user_add", email, {"role": role, "programmes": sorted(programmes or ()),
                                               "countries": sorted(countries or ()), "funder": funder})
        bump_data_version(conn)
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
        _audit(conn, actor, "user_enable" if active else "user_disable", email.strip().lower(), {})
        bump_data_version(conn)


def set_password(engine: Engine, email: str, password: str, actor: str = "cli") -> None:
    with engine.begin() as conn:
        user_id = _id(conn, email)
        conn.execute(s.users.update().where(s.users.c.id == user_id).values(
            password_hash=hash_password(password), failed_logins=0, locked_until=None))
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

#: Listed on the sign-in page in demo mode only; refused by :func:`authenticate` outside it.
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


def create_demo_accounts(engine: Engine) -> None:
    """Create the demo accounts that do not exist yet (idempotent)."""
    with engine.connect() as conn:
        existing = set(conn.scalars(sa.select(s.users.c.email)))
    for account in DEMO_ACCOUNTS:
        if account["email"] not in existing:
            add_user(engine, account["email"], account["role"], account["password"],
                     account.get("programmes", ()), account.get("countries", ()), account.get("funder"),
                     actor="demo", is_demo=True)


# --- session tokens (the "stay signed in" cookie) ---------------------------------------------

TOKEN_HOURS = 8


def _signature(secret: str, user_id: int, expires: int, password_hash: str | None) -> str:
    import hashlib
    import hmac

    message = f"{user_id}.{expires}.{password_hash or ''}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def issue_token(engine: Engine, user_id: int, secret: str, now: dt.datetime | None = None) -> str:
    """``user_id.expiry.signature``: an HMAC over the user, the expiry and the password hash, so a
    password change or reset ends every session; a disabled account is refused by load_scope."""
    now = now or _now()
    expires = int((now + dt.timedelta(hours=TOKEN_HOURS)).timestamp())
    with engine.connect() as conn:
        password_hash = conn.scalar(sa.select(s.users.c.password_hash).where(s.users.c.id == user_id))
    return f"{user_id}.{expires}.{_signature(secret, user_id, expires, password_hash)}"


def verify_token(engine: Engine, token: str | None, secret: str, now: dt.datetime | None = None) -> int | None:
    import hmac

    now = now or _now()
    try:
        user_text, expires_text, signature = (token or "").split(".")
        user_id, expires = int(user_text), int(expires_text)
    except ValueError:
        return None
    if expires < now.timestamp():
        return None
    with engine.connect() as conn:
        password_hash = conn.scalar(sa.select(s.users.c.password_hash).where(s.users.c.id == user_id))
    if not hmac.compare_digest(signature, _signature(secret, user_id, expires, password_hash)):
        return None
    return user_id
