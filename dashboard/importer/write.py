"""Writing validated rows: upsert by natural key, in one transaction, with derived columns.

The plan (what would be inserted, updated, left unchanged, deleted) is computed by reading the
database only, so a dry run is the same code path without the writes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from .. import schema as s
from ..fx import RateBook, month_key
from .spec import SHEETS
from .validate import DbState, Row

CHUNK = 500


@dataclass
class SheetPlan:
    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    unchanged: int = 0
    deleted: int = 0

    def counts(self) -> dict:
        return {"inserted": len(self.inserts), "updated": len(self.updates),
                "unchanged": self.unchanged, "deleted": self.deleted}


@dataclass
class Plan:
    sheets: dict[str, SheetPlan]
    replace_programme: str | None
    changed_currencies: set[str]
    moved_programme_starts: dict[str, dt.date]  # programme -> new start, when its month changed


class _Context:
    """What derived columns need: exchange rates and programme start dates (workbook over DB)."""

    def __init__(self, rows: dict[str, list[Row]], state: DbState):
        rates = {cur: dict(months) for cur, months in state.fx.items()}
        for r in rows.get("fx_rates", []):
            rates.setdefault(r.values["currency"], {})[r.values["month"]] = r.values["per_eur"]
        self.rates = RateBook(rates)
        self.starts = dict(state.programmes)
        self.starts.update({r.values["code"]: r.values["start_date"] for r in rows.get("programmes", [])})

    def grant_rate_month(self, v: dict) -> int:
        return month_key(v["signed_date"] or v["start_date"] or self.starts[v["programme_code"]])


def derive(sheet: str, v: dict, ctx: _Context) -> dict:
    """The database row for workbook row ``v``: contract columns plus derived columns."""
    row = dict(v)
    if sheet == "grants":
        row["rate_month"] = ctx.grant_rate_month(v)
        row["in_kind"] = bool(v["in_kind"])
    elif sheet == "budget_lines":
        row["rate_month"] = month_key(ctx.starts[v["programme_code"]])
    elif sheet in ("receipts", "expenditures"):
        row["year"], row["month"] = v["date"].year, v["date"].month
        row["rate_month"] = month_key(v["date"])
    elif sheet == "sessions":
        row["year"], row["month"] = v["start_date"].year, v["start_date"].month
    if "currency" in row and sheet != "fx_rates":
        row["amount_eur"] = ctx.rates.to_eur(v["amount"], v["currency"], row["rate_month"])
    if sheet in ("receipts", "expenditures"):
        del row["rate_month"]  # their rate month is their (year, month)
    return row


def _existing(conn, sheet: str, rows: list[dict], replace: str | None) -> dict[tuple, dict]:
    """Rows already in the database for the keys of ``rows``, by key (rows of ``replace`` excluded)."""
    table = s.SHEET_TABLES[sheet]
    key = SHEETS[sheet].key
    cols = [table.c[c] for c in table.c.keys()]
    found: dict[tuple, dict] = {}

    def collect(stmt):
        for r in conn.execute(stmt).mappings():
            found[tuple(r[k] for k in key)] = dict(r)

    if "programme_code" in table.c:
        progs = sorted({r["programme_code"] for r in rows} - {replace})
        if progs:
            collect(sa.select(*cols).where(table.c.programme_code.in_(progs)))
    else:
        first = key[0]
        values = sorted({r[first] for r in rows})
        for i in range(0, len(values), CHUNK):
            collect(sa.select(*cols).where(table.c[first].in_(values[i:i + CHUNK])))
        if replace and sheet == "receipts":
            owned = set(conn.scalars(sa.select(s.grants.c.code).where(s.grants.c.programme_code == replace)))
            found = {k: r for k, r in found.items() if r["grant_code"] not in owned}
        if replace and sheet == "attendance":
            owned = set(conn.scalars(sa.select(s.sessions.c.code).where(s.sessions.c.programme_code == replace)))
            found = {k: r for k, r in found.items() if r["session_code"] not in owned}
    return found


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and float(a) == float(b)
    return a == b


def plan(conn, rows: dict[str, list[Row]], state: DbState, replace: str | None = None) -> Plan:
    ctx = _Context(rows, state)
    sheets: dict[str, SheetPlan] = {}
    changed_currencies: set[str] = set()
    moved: dict[str, dt.date] = {}
    for sheet, sheet_rows in rows.items():
        table = s.SHEET_TABLES[sheet]
        key = SHEETS[sheet].key
        new_rows = [derive(sheet, r.values, ctx) for r in sheet_rows]
        existing = _existing(conn, sheet, new_rows, replace)
        p = SheetPlan()
        for new in new_rows:
            old = existing.get(tuple(new[k] for k in key))
            if old is None:
                p.inserts.append(new)
            elif all(_same(new[c], old[c]) for c in new if c in table.c):
                p.unchanged += 1
            else:
                p.updates.append(new)
                if sheet == "programmes" and month_key(new["start_date"]) != month_key(old["start_date"]):
                    moved[new["code"]] = new["start_date"]
        if sheet == "fx_rates":
            changed_currencies = {r["currency"] for r in p.inserts + p.updates}
        sheets[sheet] = p
    if replace:
        for sheet, count in _replace_counts(conn, replace).items():
            sheets.setdefault(sheet, SheetPlan()).deleted = count
    return Plan(sheets, replace, changed_currencies, moved)


# Tables holding rows of one programme, children first (the order deletions must follow).
def _owned(programme: str) -> list[tuple[sa.Table, sa.ColumnElement]]:
    sessions = sa.select(s.sessions.c.code).where(s.sessions.c.programme_code == programme)
    grants = sa.select(s.grants.c.code).where(s.grants.c.programme_code == programme)
    by_prog = lambda t: t.c.programme_code == programme  # noqa: E731
    return [
        (s.attendance, s.attendance.c.session_code.in_(sessions)),
        (s.sessions, by_prog(s.sessions)),
        (s.expenditures, by_prog(s.expenditures)),
        (s.budget_lines, by_prog(s.budget_lines)),
        (s.receipts, s.receipts.c.grant_code.in_(grants)),
        (s.grants, by_prog(s.grants)),
        (s.measurements, by_prog(s.measurements)),
        (s.targets, by_prog(s.targets)),
        (s.indicators, by_prog(s.indicators)),
        (s.logframe, by_prog(s.logframe)),
    ]


def _replace_counts(conn, programme: str) -> dict[str, int]:
    return {table.name: conn.execute(sa.select(sa.func.count()).select_from(table).where(cond)).scalar_one()
            for table, cond in _owned(programme)}


def apply(conn, plan: Plan) -> None:
    """Carry out ``plan`` on ``conn`` (the caller owns the transaction)."""
    if plan.replace_programme:
        for table, cond in _owned(plan.replace_programme):
            conn.execute(table.delete().where(cond))
    for sheet, p in plan.sheets.items():
        table = s.SHEET_TABLES[sheet]
        key = SHEETS[sheet].key
        if p.inserts:
            conn.execute(table.insert(), p.inserts)
        if p.updates:
            cols = [c for c in p.updates[0] if c not in key]
            stmt = table.update().where(*[table.c[k] == sa.bindparam(f"k_{k}") for k in key]).values(
                {c: sa.bindparam(f"v_{c}") for c in cols})
            if "version" in table.c:
                stmt = stmt.values(version=table.c.version + 1)
            conn.execute(stmt, [{**{f"k_{k}": r[k] for k in key}, **{f"v_{c}": r[c] for c in cols}}
                                for r in p.updates])
    if plan.moved_programme_starts:
        _reconvert_programme_rows(conn, plan.moved_programme_starts)
    if plan.changed_currencies:
        refresh_eur(conn, plan.changed_currencies)


def load_rates(conn) -> RateBook:
    rates: dict[str, dict[str, float]] = {}
    for cur, month, per_eur in conn.execute(sa.select(s.fx_rates.c.currency, s.fx_rates.c.month, s.fx_rates.c.per_eur)):
        rates.setdefault(cur, {})[month] = per_eur
    return RateBook(rates)


def refresh_eur(conn, currencies: set[str]) -> None:
    """Recompute ``amount_eur`` of every row in ``currencies`` after their rates changed."""
    rates = load_rates(conn)
    cur_list = sorted(currencies)
    for table in (s.grants, s.budget_lines):
        pairs = conn.execute(sa.select(table.c.currency, table.c.rate_month).where(
            table.c.currency.in_(cur_list)).distinct()).all()
        for cur, ym in pairs:
            conn.execute(table.update().where(table.c.currency == cur, table.c.rate_month == ym).values(
                amount_eur=table.c.amount / rates.per_eur(cur, ym)))
    for table in (s.receipts, s.expenditures):
        pairs = conn.execute(sa.select(table.c.currency, table.c.year, table.c.month).where(
            table.c.currency.in_(cur_list)).distinct()).all()
        for cur, year, month in pairs:
            conn.execute(table.update().where(
                table.c.currency == cur, table.c.year == year, table.c.month == month).values(
                amount_eur=table.c.amount / rates.per_eur(cur, year * 100 + month)))


def _reconvert_programme_rows(conn, starts: dict[str, dt.date]) -> None:
    """Budget lines (and undated grants) are converted at the programme start: follow a move."""
    rates = load_rates(conn)
    for programme, start in starts.items():
        ym = month_key(start)
        bl, g = s.budget_lines.c, s.grants.c
        for table, cond in ((s.budget_lines, bl.programme_code == programme),
                            (s.grants, sa.and_(g.programme_code == programme, g.signed_date.is_(None),
                                               g.start_date.is_(None)))):
            for cur in conn.scalars(sa.select(table.c.currency).where(cond).distinct()).all():
                conn.execute(table.update().where(cond, table.c.currency == cur).values(
                    rate_month=ym, amount_eur=table.c.amount / rates.per_eur(cur, ym)))
