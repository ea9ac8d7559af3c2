"""Writing validated rows: upsert by natural key, in one transaction, with derived columns.

The plan (what would be inserted, updated, left unchanged, deleted) is computed by reading the
database only, so a dry run is the same code path without the writes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter

import sqlalchemy as sa

from .. import schema as s
from ..fx import RateBook, month_key
from .spec import SHEETS
from .validate import DbState, ParsedRows, Row

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
        self._per_eur: dict[tuple[str, int], float] = {}  # (currency, YYYYMM) -> rate, looked up once
        self.starts = dict(state.programmes)
        self.starts.update({r.values["code"]: r.values["start_date"] for r in rows.get("programmes", [])})

    def to_eur(self, amount: float, currency: str, month: int) -> float:
        key = (currency, month)
        rate = self._per_eur.get(key)
        if rate is None:
            rate = self._per_eur[key] = self.rates.per_eur(currency, month)
        return amount / rate

    def grant_rate_month(self, v: dict) -> int:
        return month_key(v["signed_date"] or v["start_date"] or self.starts[v["programme_code"]])


def derive(sheet: str, v: dict, ctx: _Context) -> dict:
    """The database row for workbook row ``v``: contract columns plus derived columns."""
    row = dict(v)
    if sheet in ("receipts", "expenditures"):  # converted at their own month, their (year, month)
        day = v["date"]
        row["year"], row["month"] = day.year, day.month
        row["amount_eur"] = ctx.to_eur(v["amount"], v["currency"], day.year * 100 + day.month)
        return row
    if sheet == "grants":
        row["rate_month"] = ctx.grant_rate_month(v)
        row["in_kind"] = bool(v["in_kind"])
    elif sheet == "budget_lines":
        row["rate_month"] = month_key(ctx.starts[v["programme_code"]])
    elif sheet == "sessions":
        row["year"], row["month"] = v["start_date"].year, v["start_date"].month
    if "currency" in row and sheet != "fx_rates":
        row["amount_eur"] = ctx.to_eur(v["amount"], v["currency"], row["rate_month"])
    return row


class ColumnRows(Sequence):
    """Database rows held as columns (``names`` -> lists): what :func:`derive` gives for every row
    of a large sheet, computed a column at a time. A sequence of dicts for whoever iterates it;
    :func:`insert_rows` sends the columns to the driver as they are."""

    def __init__(self, names: list[str], columns: list[list]):
        self.names = names
        self.columns = columns
        self._dicts: list[dict] | None = None

    def column(self, name: str) -> list:
        return self.columns[self.names.index(name)]

    def _materialised(self) -> list[dict]:
        if self._dicts is None:
            self._dicts = [dict(zip(self.names, cells)) for cells in zip(*self.columns)]
        return self._dicts

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def __getitem__(self, index):
        return self._materialised()[index]

    def __iter__(self):
        return iter(self._materialised())


def derive_columns(sheet: str, rows: ParsedRows, ctx: _Context) -> ColumnRows:
    """:func:`derive` of every row of a dated money sheet (receipts, expenditures), by column."""
    names = list(rows.names)
    columns = [rows.column(name) for name in names]
    dates = rows.column("date")
    buckets = {day: (day.year, day.month, day.year * 100 + day.month) for day in set(dates)}
    per_date = [buckets[day] for day in dates]
    months = [b[2] for b in per_date]
    currencies = rows.column("currency")
    rates = {(currency, month): ctx.rates.per_eur(currency, month) for currency, month in set(zip(currencies, months))}
    # amount / rate, as derive() computes it (RateBook.to_eur)
    amount_eur = [amount / rates[key] for amount, key in zip(rows.column("amount"), zip(currencies, months))]
    names += ["year", "month", "amount_eur"]
    columns += [[b[0] for b in per_date], [b[1] for b in per_date], amount_eur]
    return ColumnRows(names, columns)


def _existing(conn, sheet: str, rows: list[dict], replace: str | None) -> dict[tuple, dict]:
    """Rows already in the database for the keys of ``rows``, by key (rows of ``replace`` excluded)."""
    table = s.SHEET_TABLES[sheet]
    key = SHEETS[sheet].key
    cols = [table.c[c] for c in table.c.keys()]
    found: dict[tuple, dict] = {}

    def collect(stmt):
        for r in conn.execute(stmt).mappings():
            found[tuple(r[k] for k in key)] = dict(r)

    def values_of(name):
        return rows.column(name) if isinstance(rows, ColumnRows) else [r[name] for r in rows]

    if "programme_code" in table.c:
        kept = sheet == "comments"  # explanations survive --replace-programme (their versions too)
        progs = sorted(set(values_of("programme_code")) - (set() if kept else {replace}))
        if progs:
            collect(sa.select(*cols).where(table.c.programme_code.in_(progs)))
    else:
        first = key[0]
        values = sorted(set(values_of(first)))
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
        if isinstance(sheet_rows, ParsedRows) and sheet in ("receipts", "expenditures"):
            new_rows = derive_columns(sheet, sheet_rows, ctx)
        elif isinstance(sheet_rows, ParsedRows) and sheet == "attendance":  # no derived column
            new_rows = ColumnRows(list(sheet_rows.names), [sheet_rows.column(n) for n in sheet_rows.names])
        else:
            new_rows = [derive(sheet, r.values, ctx) for r in sheet_rows]
        existing = _existing(conn, sheet, new_rows, replace)
        p = SheetPlan()
        if not existing:  # nothing of these keys in the database: every row is new
            p.inserts = new_rows
            new_rows = []
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


def apply(conn, plan: Plan, actor: str = "cli") -> None:
    """Carry out ``plan`` on ``conn`` (the caller owns the transaction); ``actor`` is recorded as
    the author of the explanations (``comments``) it writes."""
    if plan.replace_programme:
        for table, cond in _owned(plan.replace_programme):
            conn.execute(table.delete().where(cond))
    # Exchange rates first, and the rows already in the database reconverted with them, before
    # the workbook's rows are written: those were converted with the new rates by the plan, so
    # the reconversion never has to go over the rows of this import.
    order = sorted(plan.sheets, key=lambda sheet: sheet != "fx_rates")
    for sheet in order:
        p = plan.sheets[sheet]
        table = s.SHEET_TABLES[sheet]
        key = SHEETS[sheet].key
        if p.inserts:
            insert_rows(conn, table, p.inserts)
        if p.updates:
            cols = [c for c in p.updates[0] if c not in key]
            stmt = table.update().where(*[table.c[k] == sa.bindparam(f"k_{k}") for k in key]).values(
                {c: sa.bindparam(f"v_{c}") for c in cols})
            if "version" in table.c:
                stmt = stmt.values(version=table.c.version + 1)
            conn.execute(stmt, [{**{f"k_{k}": r[k] for k in key}, **{f"v_{c}": r[c] for c in cols}}
                                for r in p.updates])
        if sheet == "fx_rates" and plan.changed_currencies:
            refresh_eur(conn, plan.changed_currencies)
    if "comments" in plan.sheets:  # every new text of an explanation is kept as a version
        from ..comments import record_versions

        record_versions(conn, plan.sheets["comments"].inserts + plan.sheets["comments"].updates, actor)
    if plan.moved_programme_starts:
        _reconvert_programme_rows(conn, plan.moved_programme_starts)
    refresh_statistics(conn, [s.SHEET_TABLES[sheet] for sheet, p in plan.sheets.items()
                              if len(p.inserts) + len(p.updates) + p.deleted >= BULK_MIN_ROWS])


def refresh_statistics(conn, tables: list[sa.Table]) -> None:
    """Fresh query-planner statistics after a large write, so the next page is planned for the
    data it reads. SQLite keeps none unless asked (a query that joins two grouped subqueries can
    then be planned as a nested scan, seconds at a million rows): ANALYZE with a row limit, a few
    milliseconds. PostgreSQL's autovacuum would get there within a minute; ANALYZE of the
    written tables gets there now."""
    if not tables:
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA analysis_limit=400")
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("PRAGMA analysis_limit=0")
    elif conn.dialect.name == "postgresql":
        quote = conn.dialect.identifier_preparer.quote
        conn.exec_driver_sql("ANALYZE " + ", ".join(quote(t.name) for t in tables))


#: Below this many rows an insert goes through SQLAlchemy's executemany as it always did.
BULK_MIN_ROWS = 1000


def insert_rows(conn, table: sa.Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``, in bulk.

    Large inserts skip SQLAlchemy's per-row parameter processing: the values are converted once
    per column with the type's own bind processor (so they are stored exactly as
    ``table.insert()`` would store them), then sent with the driver's ``executemany`` (SQLite) or
    ``COPY ... FROM STDIN`` (PostgreSQL, psycopg 3).
    """
    dialect = conn.dialect
    if len(rows) < BULK_MIN_ROWS or dialect.paramstyle not in ("qmark", "format", "pyformat"):
        conn.execute(table.insert(), list(rows))
        return
    names = list(rows.names) if isinstance(rows, ColumnRows) else list(rows[0])
    columns = []  # one list of values per column, converted as the column type binds them
    for name in names:
        values = rows.column(name) if isinstance(rows, ColumnRows) else list(map(itemgetter(name), rows))
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None and isinstance(table.c[name].type, sa.Float) and set(map(type, values)) <= {
                float, type(None)}:
            process = None  # the Float processor makes floats: these already are
        if process is not None:
            if isinstance(table.c[name].type, (sa.Date, sa.Boolean)):  # few distinct values
                converted = {v: process(v) for v in set(values) if v is not None}
                values = [None if v is None else converted[v] for v in values]
            else:
                values = [None if v is None else process(v) for v in values]
        columns.append(values)
    values = list(zip(*columns))
    quote = dialect.identifier_preparer.quote
    column_list = ", ".join(quote(name) for name in names)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        with _without_secondary_structures(conn, table, len(values)):
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                with cursor.copy(f"COPY {quote(table.name)} ({column_list}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            finally:
                cursor.close()
        return
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({column_list}) "
                         f"VALUES ({', '.join([marker] * len(names))})", values)


#: PostgreSQL: a COPY of at least this many rows, into a table holding fewer rows than that,
#: drops the table's foreign keys and secondary indexes first and creates them again after.
REBUILD_MIN_ROWS = 50_000


@contextmanager
def _without_secondary_structures(conn, table: sa.Table, rows: int):
    """PostgreSQL: the foreign keys and the indexes that back no constraint of ``table`` dropped
    for the duration, then created again from their own definitions (``pg_get_constraintdef``,
    ``pg_get_indexdef``), in the caller's transaction.

    A foreign key checks each copied row with a query of its own, and each index takes each row
    as it comes: four times the time of the copy itself. Added afterwards, a foreign key is
    checked with one join and an index is built by one sort. DDL is transactional in PostgreSQL:
    an import that fails rolls the drops back with everything else, and the table's structures
    are those of the migrations again. The drops lock the table (ACCESS EXCLUSIVE) until the
    import commits: pages reading it wait for a large import instead of reading the old rows.
    Left alone below ``REBUILD_MIN_ROWS`` rows, or when the table already holds as many rows as
    the copy brings (rebuilding its indexes would cost more than it saves)."""
    held = conn.exec_driver_sql(
        f"SELECT count(*) FROM (SELECT 1 FROM {conn.dialect.identifier_preparer.quote(table.name)} "
        f"LIMIT {int(rows)}) AS held").scalar_one() if rows >= REBUILD_MIN_ROWS else rows
    if held >= rows:
        yield
        return
    relation = conn.exec_driver_sql("SELECT to_regclass(%(name)s)::oid",
                                    {"name": conn.dialect.identifier_preparer.quote(table.name)}).scalar_one()
    foreign_keys = conn.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %(relation)s AND contype = 'f' ORDER BY conname", {"relation": relation}).all()
    indexes = conn.exec_driver_sql(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = %(relation)s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid) "
        "ORDER BY 1", {"relation": relation}).all()
    quote = conn.dialect.identifier_preparer.quote
    name = quote(table.name)
    for constraint, _ in foreign_keys:
        conn.exec_driver_sql(f"ALTER TABLE {name} DROP CONSTRAINT {quote(constraint)}")
    for index, _ in indexes:
        conn.exec_driver_sql(f"DROP INDEX {index}")  # (regclass text: quoted and qualified as needed)
    yield
    for _, definition in indexes:
        conn.exec_driver_sql(definition)
    for constraint, definition in foreign_keys:
        conn.exec_driver_sql(f"ALTER TABLE {name} ADD CONSTRAINT {quote(constraint)} {definition}")


def load_rates(conn) -> RateBook:
    rates: dict[str, dict[str, float]] = {}
    for cur, month, per_eur in conn.execute(sa.select(s.fx_rates.c.currency, s.fx_rates.c.month, s.fx_rates.c.per_eur)):
        rates.setdefault(cur, {})[month] = per_eur
    return RateBook(rates)


def refresh_eur(conn, currencies: set[str]) -> None:
    """Recompute ``amount_eur`` of every row in ``currencies`` after their rates changed: one
    UPDATE per table and currency, with the rate of each month in a CASE (one pass over the table
    instead of one per month)."""
    rates = load_rates(conn)
    cur_list = sorted(currencies)
    for table in (s.grants, s.budget_lines, s.receipts, s.expenditures):
        month = table.c.rate_month if "rate_month" in table.c else table.c.year * 100 + table.c.month
        pairs = conn.execute(sa.select(table.c.currency, month).where(
            table.c.currency.in_(cur_list)).distinct()).all()
        months: dict[str, list[int]] = {}
        for cur, ym in pairs:
            months.setdefault(cur, []).append(int(ym))
        for cur, yms in sorted(months.items()):
            rate = sa.case({ym: rates.per_eur(cur, ym) for ym in sorted(yms)}, value=month)
            conn.execute(table.update().where(table.c.currency == cur).values(amount_eur=table.c.amount / rate))


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
