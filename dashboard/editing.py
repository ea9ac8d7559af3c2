"""In-app editing of measurements (and targets, for administrators), with optimistic concurrency.

Each edited row carries the ``version`` it was read at. The save runs in one transaction:
validation identical to the importer's (same parser, same reference checks), the user's write
scope, then ``UPDATE ... WHERE <key> AND version = :version`` for every row. If any row changed in
the meantime (its version moved on) or a new row's key appeared, nothing is written and the other
person's value is reported. Every save and every refusal is in the audit log, before and after.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from . import demo_state
from . import schema as s
from .db import bump_data_version
from .auth import AccessDenied, Scope
from .importer.read import from_rows
from .importer.spec import SHEETS
from .importer.validate import Issue, validate

EDITABLE = {"measurements": ("value", "source", "comment"), "targets": ("target",)}


@dataclass(frozen=True)
class Edit:
    """One row as the user wants it. ``version`` is the version it was read at (None: a new row)."""

    values: dict  # every contract column of the sheet
    version: int | None = None


@dataclass
class Conflict:
    key: dict
    mine: dict
    theirs: dict | None  # the row as it is now in the database (None: it was deleted)


@dataclass
class EditResult:
    ok: bool
    saved: int = 0
    issues: list[Issue] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    denied: bool = False


def _key(sheet: str, values: dict) -> dict:
    return {k: values[k] or "" if k in SHEETS[sheet].blank_key else values[k] for k in SHEETS[sheet].key}


def _permitted(scope: Scope, sheet: str, values: dict) -> bool:
    if sheet == "targets":
        return scope.role == "admin"
    return scope.can_write(values.get("programme_code"), values.get("country_iso3") or None)


def save(engine: Engine, scope: Scope, sheet: str, edits: list[Edit]) -> EditResult:
    """Validate and save ``edits`` of ``sheet`` in one transaction, or save nothing."""
    if sheet not in EDITABLE:
        raise ValueError(f"{sheet} is not editable in the app")
    if not edits:
        return EditResult(True)
    if not all(_permitted(scope, sheet, e.values) for e in edits):
        _audit_refusal(engine, scope, sheet, edits, "denied")
        return EditResult(False, denied=True)
    table = s.SHEET_TABLES[sheet]
    columns = EDITABLE[sheet]
    with engine.begin() as conn:
        checked = validate(from_rows({sheet: [dict(e.values) for e in edits]}), conn)
        if not checked.ok:
            return EditResult(False, issues=checked.issues)
        rows = [r.values for r in checked.rows[sheet]]  # parsed exactly as an import would
        conflicts, audit = [], []
        for edit, row in zip(edits, rows):
            key = _key(sheet, row)
            where = [table.c[k] == v for k, v in key.items()]
            before = conn.execute(sa.select(*[table.c[c] for c in (*columns, "version")]).where(*where)).mappings().first()
            new = {c: row[c] for c in columns}
            if edit.version is None:
                if before is not None:
                    conflicts.append(Conflict(key, new, dict(before)))
                    continue
                conn.execute(table.insert().values(**key, **new, version=1))
            else:
                done = conn.execute(table.update().where(*where, table.c.version == edit.version).values(
                    **new, version=table.c.version + 1)).rowcount
                if done != 1:
                    conflicts.append(Conflict(key, new, dict(before) if before else None))
                    continue
            audit.append({"key": key, "before": dict(before) if before else None, "after": new})
        if conflicts:
            conn.rollback()
        else:
            now = dt.datetime.now(dt.timezone.utc)
            for a in audit:
                conn.execute(s.audit_log.insert().values(
                    at=now, actor=scope.email, action="edit", entity=sheet, entity_key=_key_text(a["key"]),
                    before=_jsonable(a["before"]), after=_jsonable(a["after"])))
            demo_state.after_edit(conn, scope)  # an account that is not a demo account ends demo mode
            bump_data_version(conn)
            return EditResult(True, saved=len(audit))
    _audit_refusal(engine, scope, sheet, edits, "conflict", conflicts)
    return EditResult(False, conflicts=conflicts)


def _key_text(key: dict) -> str:
    return " / ".join(str(v) if v != "" else "-" for v in key.values())


def _jsonable(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def _audit_refusal(engine: Engine, scope: Scope, sheet: str, edits: list[Edit], reason: str,
                   conflicts: list[Conflict] = ()) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as conn:
        if conflicts:
            for c in conflicts:
                conn.execute(s.audit_log.insert().values(
                    at=now, actor=scope.email, action="edit_refused", entity=sheet, entity_key=_key_text(c.key),
                    before=_jsonable(c.theirs), after=_jsonable(c.mine), details={"reason": reason}))
        else:
            conn.execute(s.audit_log.insert().values(
                at=now, actor=scope.email, action="edit_refused", entity=sheet,
                details={"reason": reason, "rows": len(edits)}))


__all__ = ["AccessDenied", "Conflict", "Edit", "EditResult", "EDITABLE", "save"]
