"""Demo mode: a recorded state of the database, not a guess.

Demo mode is the row ``app_state(key='demo_mode')``. Only the first-start demo load writes it
(:func:`dashboard.bootstrap.load_demo` with ``start_demo_mode``, on an empty database), in the
same transaction as the demo programmes and the demo accounts. It ends for good at the first other
write, in that write's transaction (:func:`end`): the demo accounts and every row that refers to
them are deleted, the row is deleted, and the audit log says who ended it and how. The triggers:

- an import that is not the demo load, unless a demo account imports only demo programmes
  (:func:`after_import`): the command line, or another programme through the Data page;
- any new account that is not a demo account (:func:`dashboard.auth.add_user`);
- a saved edit on the Data page by an account that is not a demo account (:func:`after_edit`).

The state is read from the database every time (one primary-key lookup), never cached: a write
by another process (``python -m dashboard users add`` while the app runs) ends demo mode for the
app at its next run.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import schema as s

KEY = "demo_mode"
#: The programmes of the demo workbook (data/demo/).
DEMO_PROGRAMMES = frozenset({"PCRPM-C2", "LT-PAIRS"})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def is_on(bind: Connection | Engine) -> bool:
    """True while the database records demo mode."""
    stmt = sa.select(s.app_state.c.value).where(s.app_state.c.key == KEY)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return conn.scalar(stmt) is not None
    return bind.scalar(stmt) is not None


def is_empty(conn: Connection) -> bool:
    """Nothing written yet: no account, no row in any table of the data contract, no audit entry."""
    for table in (s.users, s.audit_log, *s.SHEET_TABLES.values()):
        if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None:
            return False
    return True


def start(conn: Connection, actor: str) -> None:
    """Record demo mode and create the demo accounts (inside the demo load's transaction)."""
    from .auth import create_demo_accounts

    create_demo_accounts(conn)
    conn.execute(s.app_state.insert().values(key=KEY, value="on", set_at=_now()))
    conn.execute(s.audit_log.insert().values(at=_now(), actor=actor, action="demo_mode_start", entity="database",
                                             details={"programmes": sorted(DEMO_PROGRAMMES)}))


def _referring_tables() -> list[tuple[sa.Table, sa.Column]]:
    """Every (table, column) with a foreign key to users.id: scopes, and any session table."""
    found = []
    for table in s.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is s.users.c.id:
                found.append((table, fk.parent))
    return found


def end(conn: Connection, actor: str, reason: str) -> bool:
    """End demo mode (if on) inside the caller's transaction: delete the demo accounts and the
    rows that refer to them (scopes, sessions), delete the state row, audit. True if it was on."""
    if conn.execute(s.app_state.delete().where(s.app_state.c.key == KEY)).rowcount == 0:
        return False
    u = s.users.c
    demo_ids = sa.select(u.id).where(u.is_demo.is_(True)).scalar_subquery()
    emails = sorted(conn.scalars(sa.select(u.email).where(u.is_demo.is_(True))))
    for table, column in _referring_tables():
        conn.execute(table.delete().where(column.in_(demo_ids)))
    conn.execute(s.users.delete().where(u.is_demo.is_(True)))
    conn.execute(s.audit_log.insert().values(at=_now(), actor=actor, action="demo_mode_end", entity="database",
                                             details={"reason": reason, "deleted_accounts": emails}))
    return True


def _is_demo_account(conn: Connection, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return bool(conn.scalar(sa.select(s.users.c.is_demo).where(s.users.c.id == user_id)))


def after_import(conn: Connection, actor: str, scope) -> None:
    """After an accepted import (its transaction): demo mode survives only an import by a demo
    account that leaves the database with demo programmes alone. ``scope`` None: command line."""
    if not is_on(conn):
        return
    other = conn.execute(sa.select(s.programmes.c.code).where(
        s.programmes.c.code.not_in(sorted(DEMO_PROGRAMMES))).limit(1)).first()
    if other is not None:
        end(conn, actor, "import_other_programme")
    elif not _is_demo_account(conn, getattr(scope, "user_id", None)):
        end(conn, actor, "import")


def after_edit(conn: Connection, scope) -> None:
    """After a saved edit (its transaction): an account that is not a demo account ends demo mode."""
    if is_on(conn) and not _is_demo_account(conn, scope.user_id):
        end(conn, scope.email, "edit")
