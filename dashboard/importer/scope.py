"""Who may write what: write scopes of the rows of a workbook, programme moves, exchange-rate impact.

A write is allowed only when both the row as it is now in the database and the row as it will be
are inside the writer's scope (a country-scoped manager can neither pull another country's row
into their country nor push one of theirs out). Rows outside the scope are reported as one line
per sheet, not one line each.

Exchange rates are shared by every programme: changing or adding a rate reconverts the stored EUR
amounts of every row in that currency. :func:`rate_impact` finds the existing rates a workbook
changes and the rows (programme, country) whose EUR amounts would change, so that the dry run can
list them and a writer cannot change the figures of a programme outside their scope.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from .. import schema as s
from ..fx import BUILTIN_RATES, RateBook
from ..i18n import fmt_number, t
from .validate import Issue, column

#: Sheets only administrators write (shared by every programme).
ADMIN_ONLY = ("funders", "fx_rates")
#: How many places the summary line names before an ellipsis.
SHOWN_PLACES = 3


class Count(int):
    """An integer message parameter, formatted in the reader's language (``1 677`` / ``1,677``)."""

    def render(self, lang: str) -> str:
        return fmt_number(int(self), lang)


class Places(tuple):
    """The programmes or countries outside the scope, most rows first: ``TUN, MLI…``.
    A blank country is a regional row."""

    def render(self, lang: str) -> str:
        shown = [p or t("imp.scope_regional", lang) for p in self[:SHOWN_PLACES]]
        return ", ".join(shown) + ("…" if len(self) > SHOWN_PLACES else "")


def _summary(sheet: str, n: int, places: Counter) -> Issue:
    ordered = Places(p for p, _ in sorted(places.items(), key=lambda item: (-item[1], item[0])))
    if sheet in ADMIN_ONLY:
        key = "imp.scope_admin_only_one" if n == 1 else "imp.scope_admin_only"
        return Issue(sheet, None, None, None, key, {"n": Count(n)})
    if not ordered:
        key = "imp.scope_outside_one_nowhere" if n == 1 else "imp.scope_outside_nowhere"
        return Issue(sheet, None, None, None, key, {"n": Count(n)})
    key = "imp.scope_outside_one" if n == 1 else "imp.scope_outside"
    return Issue(sheet, None, None, None, key, {"n": Count(n), "where": ordered})


def check_scope(rows: dict, state, scope) -> list[Issue]:
    """Rows that ``scope`` (a :class:`dashboard.auth.Scope`; None = the command line) may not write,
    as one issue per sheet. Managers write the rows of their programmes (and countries, if their
    account is scoped), receipts of their grants, attendance of their sessions, and organisations;
    funders, exchange rates and new programmes are for administrators. Each row is checked as it
    is now in the database (``state``) and as the workbook would leave it."""
    if scope is None or scope.role == "admin":
        return []

    new_grants = dict(zip(column(rows.get("grants", []), "code"), column(rows.get("grants", []), "programme_code")))
    sessions_sheet = rows.get("sessions", [])
    new_sessions = dict(zip(column(sessions_sheet, "code"),
                            zip(column(sessions_sheet, "programme_code"), column(sessions_sheet, "country_iso3"))))
    issues = []
    for sheet, sheet_rows in rows.items():
        if not len(sheet_rows):
            continue
        places: Counter = Counter()
        n = 0
        if sheet in ADMIN_ONLY:
            n = len(sheet_rows)
        elif sheet == "organisations":
            if scope.role != "manager":
                n = len(sheet_rows)
        else:
            for place in _row_places(sheet, sheet_rows, state, new_grants, new_sessions, scope):
                if place is not False:  # False: inside the scope
                    n += 1
                    if place is not None:
                        places[place] += 1
        if n:
            issues.append(_summary(sheet, n, places))
    return issues


_UNKNOWN = object()


def _row_places(sheet, sheet_rows, state, new_grants, new_sessions, scope):
    """For each row: False when the row is inside the scope both as it is and as it will be,
    else the place outside (None when it cannot be named, e.g. an unknown reference)."""
    def first(*checks):
        for programme, country in checks:
            if programme is _UNKNOWN or scope.can_write(programme, country):
                continue
            if programme is None:  # an unknown reference (reported by the validation)
                return None
            if not scope.can_read(programme):
                return programme
            return country or ""
        return False

    if sheet == "programmes":
        for code in column(sheet_rows, "code"):
            # a new programme: administrators only
            yield first((code, None)) if code in state.programmes else (code or None)
    elif sheet in ("logframe", "indicators", "expenditures"):
        for programme in column(sheet_rows, "programme_code"):
            yield first((programme, None))
    elif sheet in ("targets", "measurements", "comments"):  # every scope column is part of the key
        for programme, country in zip(column(sheet_rows, "programme_code"), column(sheet_rows, "country_iso3")):
            yield first((programme, country or None))
    elif sheet == "budget_lines":
        old = state.budget_line_countries
        for programme, code, country in zip(column(sheet_rows, "programme_code"), column(sheet_rows, "code"),
                                            column(sheet_rows, "country_iso3")):
            was = old.get((programme, code), _UNKNOWN)
            yield first((programme, country or None),
                        (programme, was or None) if was is not _UNKNOWN else (_UNKNOWN, None))
    elif sheet == "grants":
        old = state.grant_programmes
        for code, programme in zip(column(sheet_rows, "code"), column(sheet_rows, "programme_code")):
            yield first((programme, None), (old.get(code, _UNKNOWN), None))
    elif sheet == "sessions":
        old = state.session_programmes
        for code, programme, country in zip(column(sheet_rows, "code"), column(sheet_rows, "programme_code"),
                                            column(sheet_rows, "country_iso3")):
            was = old.get(code, (_UNKNOWN, None))
            yield first((programme, country or None), (was[0], was[1] or None))
    elif sheet == "receipts":
        old = state.grant_programmes
        for grant in column(sheet_rows, "grant_code"):
            now = new_grants.get(grant, old.get(grant))
            yield first((now, None), (old.get(grant, _UNKNOWN), None))
    elif sheet == "attendance":
        old = state.session_programmes
        for session in column(sheet_rows, "session_code"):
            now = new_sessions.get(session, old.get(session, (None, None)))
            was = old.get(session, (_UNKNOWN, None))
            yield first((now[0], now[1] or None), (was[0], was[1] or None))
    else:  # a sheet added to the contract without a scope rule: nobody but an administrator
        for _ in range(len(sheet_rows)):
            yield None


def check_moves(rows: dict, state) -> list[Issue]:
    """Rows whose natural key does not include the programme (grants, sessions) and that would
    move an existing row to another programme: an error in the dry run (at apply it would be a
    duplicate key), for every writer."""
    issues = []
    for sheet, old in (("grants", state.grant_programmes), ("sessions", state.session_programmes)):
        for row in rows.get(sheet, []):
            if not row.ok:
                continue
            code, programme = row.values["code"], row.values["programme_code"]
            was = old.get(code)
            if sheet == "sessions" and was is not None:
                was = was[0]
            if was is not None and was != programme:
                issues.append(Issue(sheet, row.number, "programme_code", programme, "imp.moved_programme",
                                    {"code": code, "old": was, "new": programme}))
    return issues


@dataclass
class RateImpact:
    """What the exchange rates of a workbook do to the figures already in the database."""

    #: existing rates the workbook changes: (currency, month, old per_eur, new per_eur)
    changes: list[tuple[str, str, float, float]] = field(default_factory=list)
    #: (programme, country or None) of existing money rows whose EUR amount would change
    rows: set[tuple[str, str | None]] = field(default_factory=set)
    #: workbook rates left out because the database already has rates for their currency
    kept: int = 0

    @property
    def programmes(self) -> list[str]:
        return sorted({programme for programme, _ in self.rows})


def _changed(old: float, new: float) -> bool:
    return float(old) != float(new)


def rate_impact(conn, rows: dict, state, replace_programme: str | None = None) -> RateImpact:
    """The existing rates ``rows["fx_rates"]`` would change, and which existing rows' EUR amounts
    (by programme and country) would change with them (the rows of ``replace_programme`` are
    about to be deleted and do not count)."""
    impact = RateImpact()
    new = {currency: dict(months) for currency, months in state.fx.items()}
    touched: set[str] = set()
    for row in rows.get("fx_rates", []):
        v = row.values
        currency, month, per_eur = v["currency"], v["month"], v["per_eur"]
        if not row.ok or currency in BUILTIN_RATES or per_eur is None or per_eur <= 0:
            continue  # reported by the validation
        old = state.fx.get(currency, {}).get(month)
        if old is not None and _changed(old, per_eur):
            impact.changes.append((currency, month, old, per_eur))
        if old is None or _changed(old, per_eur):
            touched.add(currency)
        new.setdefault(currency, {})[month] = per_eur
    impact.changes.sort()
    # Rows already in the database can only be in a currency that already had a rate.
    currencies = sorted(c for c in touched if state.fx.get(c))
    if not currencies:
        return impact
    before, after = RateBook(state.fx), RateBook(new)
    g, b, r, e = s.grants.c, s.budget_lines.c, s.receipts.c, s.expenditures.c
    keep = replace_programme or ""
    queries = [
        sa.select(g.programme_code, sa.null(), g.currency, g.rate_month).where(g.currency.in_(currencies)),
        sa.select(b.programme_code, b.country_iso3, b.currency, b.rate_month).where(b.currency.in_(currencies)),
        sa.select(g.programme_code, sa.null(), r.currency, r.year * 100 + r.month).select_from(
            s.receipts.join(s.grants, r.grant_code == g.code)).where(r.currency.in_(currencies)),
        sa.select(e.programme_code, sa.null(), e.currency, e.year * 100 + e.month).where(e.currency.in_(currencies)),
    ]
    for stmt in queries:
        programme_col = stmt.selected_columns[0]
        for programme, country, currency, month in conn.execute(stmt.where(programme_col != keep).distinct()):
            if _changed(before.per_eur(currency, int(month)), after.per_eur(currency, int(month))):
                impact.rows.add((programme, country or None))
    return impact


def keep_existing_rates(rows: dict, state) -> int:
    """Leave out the workbook's rates of every currency the database already has rates for
    (``load-demo``): those rates stay exactly as they are, and since a new month would also move
    the rows that used a neighbouring month's rate, none is added either; the workbook's rows in
    that currency are converted with the database's rates. Returns how many rates were left out."""
    if "fx_rates" not in rows:
        return 0
    kept = [row for row in rows["fx_rates"] if not state.fx.get(row.values["currency"])]
    dropped = len(rows["fx_rates"]) - len(kept)
    rows["fx_rates"] = kept
    return dropped


def check_rate_scope(impact: RateImpact, scope) -> list[Issue]:
    """Refuse rates that would change the figures of rows outside ``scope``."""
    if scope is None or scope.role == "admin" or not impact.rows:
        return []
    outside = sorted({programme for programme, country in impact.rows if not scope.can_write(programme, country)})
    if not outside:
        return []
    return [Issue("fx_rates", None, None, None, "imp.rates_outside_scope", {"programmes": ", ".join(outside)})]
