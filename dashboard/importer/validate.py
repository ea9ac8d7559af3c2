"""Validation of a whole workbook before anything is written.

Three passes, each collecting every problem rather than stopping at the first:
1. structure: known sheets, known and complete columns;
2. cells and row rules: types, enumerations, ranges, dates in order;
3. keys and references: duplicate natural keys inside the workbook, and every code a row refers
   to must exist in the workbook or in the database (``DbState``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter

import sqlalchemy as sa

from .. import schema as s
from ..i18n import t
from ..limits import max_errors_listed
from .cells import CellError, column_parser, looks_like_email, parse_csv_column
from .read import RawSheet, RawWorkbook
from .spec import BUILTIN_RATES, IGNORED_SHEETS, LEVELS, SHEETS, Sheet


@dataclass(frozen=True)
class Issue:
    """One line of the error report: where, what was there, what is wrong."""

    sheet: str
    row: int | None
    column: str | None
    value: object
    key: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str = "fr") -> str:
        # a parameter with a render(lang) method (a count, a list of places) is formatted for the reader
        params = {k: v.render(lang) if hasattr(v, "render") else v for k, v in self.params.items()}
        return t(self.key, lang, **params)

    def as_dict(self, lang: str = "fr") -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "value": "" if self.value is None else str(self.value), "message": self.message(lang)}


#: The catalogue key of the line that stands for errors not listed (``params["n"]`` of them).
MORE_ERRORS = "imp.more_errors"


def cap_issues(issues: list[Issue], limit: int | None = None) -> tuple[list[Issue], int]:
    """The issues a report lists (the first ``limit``, default ``DASHBOARD_MAX_ERRORS_LISTED``,
    then one line "and N more") and the total number of errors."""
    limit = max_errors_listed() if limit is None else limit
    real = [i for i in issues if i.key != MORE_ERRORS]
    total = len(real) + sum(i.params["n"] for i in issues if i.key == MORE_ERRORS)
    if total <= limit:
        return real, total
    return real[:limit] + [Issue("", None, None, None, MORE_ERRORS, {"n": total - limit})], total


@dataclass(slots=True)
class Row:
    number: int  # as the user sees it in Excel
    values: dict
    #: False when a cell of the row is invalid: its other cells still count as present for the
    #: references of other rows (no cascade of "unknown reference" errors), but it is not checked.
    ok: bool = True


class ParsedRows(Sequence):
    """The rows of a sheet whose every row is valid, kept as the parsed columns.

    It is a sequence of :class:`Row` like any other (the rows are made on first use), and the
    large-sheet fast paths (reference checks, plan, bulk insert) read :meth:`column` instead, so a
    million-row sheet is never turned into a million dicts only to be taken apart again.
    """

    __slots__ = ("numbers", "names", "_columns", "_rows")

    def __init__(self, numbers: list[int], names: list[str], columns: list):
        self.numbers = numbers
        self.names = names
        self._columns = dict(zip(names, columns))
        self._rows: list[Row] | None = None

    def column(self, name: str) -> list:
        values = self._columns[name]
        if not isinstance(values, list):  # a missing optional column: its default everywhere
            values = self._columns[name] = list(values)
        return values

    def _materialised(self) -> list[Row]:
        if self._rows is None:
            columns = [self.column(name) for name in self.names]
            self._rows = [Row(number, dict(zip(self.names, cells)))
                          for number, cells in zip(self.numbers, zip(*columns))]
        return self._rows

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, index):
        return self._materialised()[index]

    def __iter__(self):
        return iter(self._materialised())


def column(rows, name: str) -> list:
    """The values of column ``name`` of every row (fast for :class:`ParsedRows`)."""
    if isinstance(rows, ParsedRows):
        return rows.column(name)
    return [r.values[name] for r in rows]


@dataclass
class DbState:
    """What the database already holds that workbook rows may refer to."""

    programmes: dict = field(default_factory=dict)  # code -> start_date
    logframe: dict = field(default_factory=dict)  # (programme, code) -> level
    indicators: dict = field(default_factory=dict)  # (programme, code) -> computed_from
    measured: set = field(default_factory=set)  # (programme, indicator) with measurements
    funders: set = field(default_factory=set)
    grants: set = field(default_factory=set)
    grant_programmes: dict = field(default_factory=dict)  # grant code -> programme
    session_programmes: dict = field(default_factory=dict)  # session code -> (programme, country)
    budget_lines: set = field(default_factory=set)  # (programme, code)
    budget_line_countries: dict = field(default_factory=dict)  # (programme, code) -> country_iso3
    organisations: set = field(default_factory=set)
    sessions: set = field(default_factory=set)
    fx: dict = field(default_factory=dict)  # currency -> {YYYY-MM: per_eur}
    sex: dict = field(default_factory=dict)  # participant_key -> sex (non-blank)

    @classmethod
    def load(cls, conn, participant_keys: set[str], replace_programme: str | None = None) -> "DbState":
        """Reference data from the database; rows of ``replace_programme`` count as deleted."""
        keep = replace_programme or ""

        def rows(stmt):
            return conn.execute(stmt).all()

        state = cls()
        state.programmes = {r.code: r.start_date for r in rows(sa.select(s.programmes.c.code, s.programmes.c.start_date))}
        lf = s.logframe.c
        state.logframe = {(r[0], r[1]): r[2] for r in rows(
            sa.select(lf.programme_code, lf.code, lf.level).where(lf.programme_code != keep))}
        ic = s.indicators.c
        state.indicators = {(r[0], r[1]): r[2] for r in rows(
            sa.select(ic.programme_code, ic.code, ic.computed_from).where(ic.programme_code != keep))}
        mc = s.measurements.c
        state.measured = {(r[0], r[1]) for r in rows(
            sa.select(mc.programme_code, mc.indicator_code).where(mc.programme_code != keep).distinct())}
        state.funders = {r[0] for r in rows(sa.select(s.funders.c.code))}
        gc = s.grants.c
        state.grant_programmes = dict(rows(sa.select(gc.code, gc.programme_code).where(gc.programme_code != keep)))
        state.grants = set(state.grant_programmes)
        bc = s.budget_lines.c
        state.budget_line_countries = {(r[0], r[1]): r[2] for r in rows(
            sa.select(bc.programme_code, bc.code, bc.country_iso3).where(bc.programme_code != keep))}
        state.budget_lines = set(state.budget_line_countries)
        state.organisations = {r[0] for r in rows(sa.select(s.organisations.c.code))}
        sc = s.sessions.c
        state.session_programmes = {r[0]: (r[1], r[2]) for r in rows(
            sa.select(sc.code, sc.programme_code, sc.country_iso3).where(sc.programme_code != keep))}
        state.sessions = set(state.session_programmes)
        for r in rows(sa.select(s.fx_rates.c.currency, s.fx_rates.c.month, s.fx_rates.c.per_eur)):
            state.fx.setdefault(r[0], {})[r[1]] = r[2]
        if participant_keys:
            ac = s.attendance.c
            kept_sessions = sa.select(sc.code).where(sc.programme_code != keep)
            keys = sorted(participant_keys)
            for i in range(0, len(keys), 500):
                for r in rows(sa.select(ac.participant_key, ac.sex).where(
                        ac.participant_key.in_(keys[i:i + 500]), ac.sex.is_not(None),
                        ac.session_code.in_(kept_sessions)).distinct()):
                    state.sex[r[0]] = r[1]
        return state


@dataclass
class Validated:
    rows: dict[str, list[Row]]  # sheet name -> parsed rows, contract order
    issues: list[Issue]
    state: DbState
    rates: object = None  # a dashboard.importer.scope.RateImpact

    @property
    def ok(self) -> bool:
        return not self.issues


def parse(raw: RawWorkbook) -> tuple[dict[str, list[Row]], list[Issue]]:
    """Passes 1 and 2: structure, cells and the rules that need one row only."""
    issues: list[Issue] = [Issue(where, None, None, None, key, params) for where, key, params in raw.file_errors]
    parsed: dict[str, list[Row]] = {}
    expected = ", ".join(SHEETS)
    for sheet in raw.sheets:
        name = sheet.name.strip().lower()
        if name in IGNORED_SHEETS:
            continue
        spec = SHEETS.get(name)
        if spec is None:
            issues.append(Issue(sheet.name, None, None, None, "imp.unknown_sheet", {"expected": expected}))
            continue
        rows, sheet_issues = _parse_sheet(spec, sheet)
        issues += sheet_issues
        if spec.name in parsed:  # the same sheet twice (two files, two tabs): one plain list
            parsed[spec.name] = [*parsed[spec.name], *rows]
        else:
            parsed[spec.name] = rows
    if not parsed and not issues:
        issues.append(Issue("", None, None, None, "imp.no_sheet"))
    return {name: parsed[name] for name in SHEETS if name in parsed}, issues


def _parse_sheet(spec: Sheet, sheet: RawSheet) -> tuple[list[Row], list[Issue]]:
    issues = []
    columns: dict[int, str] = {}
    seen: set[str] = set()
    for index, header in enumerate(sheet.headers):
        name = (header or "").strip().lower()
        if not name:
            continue
        if name not in spec.column_names:
            issues.append(Issue(spec.name, 1, header, header, "imp.unknown_column",
                                {"expected": ", ".join(spec.column_names)}))
        elif name in seen:
            issues.append(Issue(spec.name, 1, header, header, "imp.duplicate_column"))
        else:
            columns[index] = name
            seen.add(name)
    missing = [c.name for c in spec.columns if c.required and c.name not in seen]
    for name in missing:
        issues.append(Issue(spec.name, 1, name, None, "imp.missing_column"))
    if missing:
        return [], issues  # every row would repeat the same error

    # Column by column (one parser per column, see cells.parse_csv_column and column_parser),
    # then one dict per row. Same values and issues as parsing cell by cell: an invalid cell takes
    # its column's default, a row with an invalid cell is not checked further (ok=False).
    numbers = sheet.row_numbers()
    count = len(numbers)
    present = list(columns.items())  # (index in the sheet, column name), header order
    found: list[tuple[int, int, Issue]] = []  # (row index, column position, issue)
    parsed_columns: list = []
    # A sheet of invalid cells must not hold an Issue per cell: each column lists its first
    # `listed` invalid cells (the report lists that many at most) and counts the others.
    listed = max_errors_listed()
    bad_rows = bytearray(count)  # 1 for a row with an invalid cell
    for position, (index, name) in enumerate(present):
        col = spec.col(name)
        values = sheet.column(index)
        out = parse_csv_column(col, values, french=sheet.french) if sheet.csv else None
        if out is None:
            parse = column_parser(col, csv=sheet.csv, french=sheet.french)
            try:
                out = list(map(parse, values))
            except CellError:  # report every invalid cell of the column
                out = []
                kept = dropped = 0
                for number, raw in zip(numbers, values):
                    try:
                        out.append(parse(raw))
                    except CellError as err:
                        bad_rows[len(out)] = 1
                        if kept < listed:
                            kept += 1
                            found.append((len(out), position, Issue(spec.name, number, name, raw, err.key,
                                                                    err.params)))
                        else:
                            dropped += 1
                        out.append(col.default)
                if dropped:
                    found.append((count, position, Issue(spec.name, None, name, None, MORE_ERRORS, {"n": dropped})))
        parsed_columns.append(out)
    keys = [name for _, name in present] + [c.name for c in spec.columns if c.name not in seen]
    parsed_columns += [repeat(c.default, count) for c in spec.columns if c.name not in seen]
    bad = any(bad_rows)
    check_rules = spec.name in _SHEETS_WITH_RULES and _rules_may_apply(spec.name, dict(zip(keys, parsed_columns)))
    blank_key = spec.blank_key
    if not bad and not check_rules and not blank_key:  # the usual case of a large sheet
        return ParsedRows(numbers, keys, parsed_columns), issues
    rows = []
    for i, (number, cells) in enumerate(zip(numbers, zip(*parsed_columns))):
        values = dict(zip(keys, cells))
        ok = not bad_rows[i]
        if ok and check_rules:
            found += [(i, len(present), Issue(spec.name, number, c, values.get(c), k, p))
                      for c, k, p in _row_rules(spec.name, values)]
        for key in blank_key:
            values[key] = values[key] or ""
        rows.append(Row(number, values, ok))
    found.sort(key=lambda f: (f[0], f[1]))  # stable: a row's rule issues keep their order
    issues += [issue for _, _, issue in found]
    return rows, issues


#: Sheets that have rules about one row (see _row_rules).
_SHEETS_WITH_RULES = frozenset({"programmes", "logframe", "grants", "receipts", "budget_lines", "sessions",
                                "attendance", "fx_rates"})


def _rules_may_apply(sheet: str, columns: dict) -> bool:
    """False when no row of ``sheet`` can break a rule of :func:`_row_rules`, seen from whole
    columns: attendance's only rule (no e-mail address as a key) needs an "@" in a cell."""
    if sheet == "attendance":
        # (a column missing from the sheet is a repeat() of its default, None: left unread)
        return any("@" in value for name in ("participant_key", "organisation_code")
                   if isinstance(columns[name], list) for value in set(columns[name]) if isinstance(value, str))
    return True


def _row_rules(sheet: str, v: dict):
    """Rules that need one row only: yields (column, catalogue key, params)."""
    if sheet == "programmes" and v["end_date"] <= v["start_date"]:
        yield "end_date", "imp.end_before_start", {}
    if sheet == "logframe":
        if v["level"] == "goal" and v["parent_code"]:
            yield "parent_code", "imp.goal_no_parent", {}
        if v["level"] != "goal" and not v["parent_code"]:
            yield "parent_code", "imp.parent_required", {}
    if sheet == "grants":
        if v["status"] == "signed" and v["signed_date"] is None:
            yield "signed_date", "imp.signed_date_required", {}
        if v["start_date"] and v["end_date"] and v["end_date"] <= v["start_date"]:
            yield "end_date", "imp.end_before_start", {}
        if v["probability"] is not None and not 0 <= v["probability"] <= 1:
            yield "probability", "imp.range", {"low": 0, "high": 1}
    if sheet in ("grants", "receipts", "budget_lines") and v["amount"] < 0:
        yield "amount", "imp.negative", {}
    if sheet == "sessions":
        if v["end_date"] < v["start_date"]:
            yield "end_date", "imp.end_not_before_start", {}
        if v["hours"] < 0:
            yield "hours", "imp.negative", {}
        if v["latitude"] is not None and not -90 <= v["latitude"] <= 90:
            yield "latitude", "imp.range", {"low": -90, "high": 90}
        if v["longitude"] is not None and not -180 <= v["longitude"] <= 180:
            yield "longitude", "imp.range", {"low": -180, "high": 180}
    if sheet == "attendance":
        for col in ("participant_key", "organisation_code"):
            if looks_like_email(v[col]):
                yield col, "imp.personal_data", {}
    if sheet == "fx_rates":
        if v["currency"] in BUILTIN_RATES:
            yield "currency", "imp.builtin_rate", {"currency": v["currency"]}
        if v["per_eur"] <= 0:
            yield "per_eur", "imp.must_be_positive", {}


def _all_distinct(columns: list[list]) -> bool:
    """True when no two rows have the same values in ``columns`` (the key columns). A column with
    one value everywhere (the programme of a large sheet) decides nothing and is left out, so a
    million-row key is usually checked as a set of strings, not of a million new tuples."""
    count = len(columns[0]) if columns else 0
    distinct = [len(set(c)) for c in columns]
    if count in distinct:  # one key column alone has no repeat (voucher references): nor has the key
        return True
    varying = [c for c, n in zip(columns, distinct) if n > 1]
    if not varying:
        return count <= 1
    if len(varying) == 1:
        return len(set(varying[0])) == count
    return len(set(zip(*varying))) == count


def check_references(rows: dict[str, list[Row]], state: DbState) -> list[Issue]:
    """Pass 3: duplicate keys inside the workbook, and references to the workbook or database."""
    issues: list[Issue] = []
    for name, sheet_rows in rows.items():
        first: dict[tuple, int] = {}
        key_columns = SHEETS[name].key
        if isinstance(sheet_rows, ParsedRows):  # every row is valid
            key_values = [sheet_rows.column(k) for k in key_columns]
        else:
            checked = [row.values for row in sheet_rows if row.ok]
            key_values = [list(map(itemgetter(k), checked)) for k in key_columns]
        if _all_distinct(key_values):  # no duplicate: nothing to report (the usual case)
            continue
        for row in sheet_rows:
            if not row.ok:
                continue
            values_ = row.values
            key = tuple([values_[k] for k in key_columns])
            if key in first:
                issues.append(Issue(name, row.number, ", ".join(key_columns), " / ".join(map(str, key)),
                                    "imp.duplicate_key", {"first": first[key]}))
            else:
                first[key] = row.number

    def values(sheet, *cols):
        return [tuple(r.values[c] for c in cols) if len(cols) > 1 else r.values[cols[0]] for r in rows.get(sheet, [])]

    programmes = set(state.programmes) | set(values("programmes", "code"))
    levels = dict(state.logframe)
    levels.update({(r.values["programme_code"], r.values["code"]): r.values["level"] for r in rows.get("logframe", [])})
    computed = dict(state.indicators)
    computed.update({(r.values["programme_code"], r.values["code"]): r.values["computed_from"]
                     for r in rows.get("indicators", [])})
    funders = state.funders | set(values("funders", "code"))
    grants = state.grants | set(values("grants", "code"))
    lines = state.budget_lines | set(values("budget_lines", "programme_code", "code"))
    organisations = state.organisations | set(values("organisations", "code"))
    sessions = state.sessions | set(values("sessions", "code"))
    rates = {cur: dict(months) for cur, months in state.fx.items()}
    for r in rows.get("fx_rates", []):
        rates.setdefault(r.values["currency"], {})[r.values["month"]] = r.values["per_eur"]

    def ref(sheet, row, col, value, ok, what):
        if value and not ok:
            issues.append(Issue(sheet, row.number, col, value, "imp.unknown_ref", {"what": what, "value": value}))

    measured_in_workbook = {(r.values["programme_code"], r.values["indicator_code"]) for r in rows.get("measurements", [])}
    sexes: dict[str, tuple[str, int]] = {}
    for name, sheet_rows in rows.items():
        if name == "expenditures":  # the large sheets: the same checks, written out for speed
            issues += _check_expenditures(sheet_rows, programmes, grants, lines, rates)
            continue
        if name == "attendance":
            issues += _check_attendance(sheet_rows, sessions, organisations, sexes, state.sex)
            continue
        for row in sheet_rows:
            if not row.ok:
                continue
            v = row.values
            prog = v.get("programme_code")
            if prog is not None:
                ref(name, row, "programme_code", prog, prog in programmes, "programme")
            if name == "logframe" and v["parent_code"]:
                parent_level = levels.get((prog, v["parent_code"]))
                ref(name, row, "parent_code", v["parent_code"], parent_level is not None, "logframe")
                expected = LEVELS[max(LEVELS.index(v["level"]) - 1, 0)]
                if parent_level is not None and v["level"] != "goal" and parent_level != expected:
                    issues.append(Issue(name, row.number, "parent_code", v["parent_code"], "imp.parent_level",
                                        {"level": v["level"], "expected": expected, "found": parent_level}))
            if name in ("indicators", "sessions") or (name == "budget_lines" and v["logframe_code"]):
                ref(name, row, "logframe_code", v["logframe_code"], (prog, v["logframe_code"]) in levels, "logframe")
            if name == "indicators" and v["computed_from"] and (prog, v["code"]) in (state.measured | measured_in_workbook):
                issues.append(Issue(name, row.number, "computed_from", v["computed_from"],
                                    "imp.computed_has_measurements", {"source": v["computed_from"]}))
            if name in ("targets", "measurements"):
                key = (prog, v["indicator_code"])
                ref(name, row, "indicator_code", v["indicator_code"], key in computed, "indicator")
                if name == "measurements" and computed.get(key):
                    issues.append(Issue(name, row.number, "indicator_code", v["indicator_code"],
                                        "imp.computed_has_measurements", {"source": computed[key]}))
            if name == "grants":
                ref(name, row, "funder_code", v["funder_code"], v["funder_code"] in funders, "funder")
            if name == "receipts" or (name == "expenditures" and v["grant_code"]):
                ref(name, row, "grant_code", v["grant_code"], v["grant_code"] in grants, "grant")
            if name == "expenditures":
                ref(name, row, "budget_line_code", v["budget_line_code"], (prog, v["budget_line_code"]) in lines,
                    "budget_line")
            if name == "attendance":
                ref(name, row, "session_code", v["session_code"], v["session_code"] in sessions, "session")
                ref(name, row, "organisation_code", v["organisation_code"], v["organisation_code"] in organisations,
                    "organisation")
                if v["sex"]:
                    other = sexes.get(v["participant_key"]) or (
                        (state.sex[v["participant_key"]], None) if v["participant_key"] in state.sex else None)
                    if other and other[0] != v["sex"]:
                        issues.append(Issue(name, row.number, "sex", v["sex"], "imp.sex_conflict", {"other": other[0]}))
                    elif not other:
                        sexes[v["participant_key"]] = (v["sex"], row.number)
            currency = v.get("currency") if name != "fx_rates" else None
            if currency and currency not in BUILTIN_RATES and not rates.get(currency):
                issues.append(Issue(name, row.number, "currency", currency, "imp.no_rate", {"currency": currency}))
    return issues


def _unknown(sheet, row, col, value, what) -> Issue:
    return Issue(sheet, row.number, col, value, "imp.unknown_ref", {"what": what, "value": value})


def _check_expenditures(sheet_rows, programmes, grants, lines, rates) -> list[Issue]:
    """check_references for expenditure rows (same checks, same order within a row)."""
    fixed = BUILTIN_RATES
    if isinstance(sheet_rows, ParsedRows):
        # Every distinct value checked once; rows are only visited when something is wrong.
        progs, grant_col = sheet_rows.column("programme_code"), sheet_rows.column("grant_code")
        line_col, currency_col = sheet_rows.column("budget_line_code"), sheet_rows.column("currency")
        if (set(progs) <= programmes and set(grant_col) - {None, ""} <= grants
                and set(zip(progs, line_col)) <= lines
                and all(c in fixed or rates.get(c) for c in set(currency_col) if c)):
            return []
    issues = []
    for row in sheet_rows:
        if not row.ok:
            continue
        v = row.values
        prog = v["programme_code"]
        if prog and prog not in programmes:
            issues.append(_unknown("expenditures", row, "programme_code", prog, "programme"))
        grant = v["grant_code"]
        if grant and grant not in grants:
            issues.append(_unknown("expenditures", row, "grant_code", grant, "grant"))
        line = v["budget_line_code"]
        if line and (prog, line) not in lines:
            issues.append(_unknown("expenditures", row, "budget_line_code", line, "budget_line"))
        currency = v["currency"]
        if currency and currency not in fixed and not rates.get(currency):
            issues.append(Issue("expenditures", row.number, "currency", currency, "imp.no_rate",
                                {"currency": currency}))
    return issues


def _check_attendance(sheet_rows, sessions, organisations, sexes, db_sex) -> list[Issue]:
    """check_references for attendance rows (same checks, same order within a row)."""
    if isinstance(sheet_rows, ParsedRows):
        # Every distinct value checked once; rows are only visited when something is wrong.
        sessions_col, orgs = sheet_rows.column("session_code"), sheet_rows.column("organisation_code")
        pairs = {(key, sex) for key, sex in zip(sheet_rows.column("participant_key"), sheet_rows.column("sex"))
                 if sex}
        if (set(sessions_col) - {None, ""} <= sessions and set(orgs) - {None, ""} <= organisations
                and len({key for key, _ in pairs}) == len(pairs)
                and all(db_sex.get(key, sex) == sex for key, sex in pairs)):
            return []
    issues = []
    for row in sheet_rows:
        if not row.ok:
            continue
        v = row.values
        session = v["session_code"]
        if session and session not in sessions:
            issues.append(_unknown("attendance", row, "session_code", session, "session"))
        org = v["organisation_code"]
        if org and org not in organisations:
            issues.append(_unknown("attendance", row, "organisation_code", org, "organisation"))
        sex = v["sex"]
        if sex:
            key = v["participant_key"]
            other = sexes.get(key) or ((db_sex[key], None) if key in db_sex else None)
            if other and other[0] != sex:
                issues.append(Issue("attendance", row.number, "sex", sex, "imp.sex_conflict", {"other": other[0]}))
            elif not other:
                sexes[key] = (sex, row.number)
    return issues


def _check_comments(rows, state: DbState, conn) -> list[Issue]:
    """The ``comments`` sheet's own rules (dashboard/comments.py), against workbook and database."""
    from ..comments import check

    programmes = set(state.programmes) | set(column(rows.get("programmes", []), "code"))
    indicators = set(state.indicators) | {(r.values["programme_code"], r.values["code"])
                                          for r in rows.get("indicators", [])}
    lines = set(state.budget_lines) | {(r.values["programme_code"], r.values["code"])
                                       for r in rows.get("budget_lines", [])}
    return check(rows["comments"], conn, programmes, indicators, lines)


def validate(raw: RawWorkbook, conn, replace_programme: str | None = None, scope=None,
             keep_existing_rates: bool = False) -> Validated:
    """Every check of the workbook against the database. ``keep_existing_rates``: the workbook's
    exchange rates of currencies the database already has rates for are left out (the demo loader)."""
    from .scope import check_moves, check_rate_scope, check_scope, keep_existing_rates as keep_rates, rate_impact

    rows, issues = parse(raw)
    keys = set(column(rows.get("attendance", []), "participant_key")) - {None}  # None: a blank key, reported
    state = DbState.load(conn, keys, replace_programme)
    kept = keep_rates(rows, state) if keep_existing_rates else 0
    issues += check_references(rows, state)
    issues += check_moves(rows, state)
    from .bounds import check_bounds  # (bounds imports this module)

    issues += check_bounds(rows, state)
    if rows.get("comments"):
        issues += _check_comments(rows, state, conn)
    issues += check_scope(rows, state, scope)
    rates = rate_impact(conn, rows, state, replace_programme)
    rates.kept = kept
    issues += check_rate_scope(rates, scope)
    if replace_programme and replace_programme not in state.programmes and replace_programme not in {
            r.values["code"] for r in rows.get("programmes", [])}:
        issues.append(Issue("programmes", None, "code", replace_programme, "imp.replace_missing",
                            {"code": replace_programme}))
    issues.sort(key=lambda i: (list(SHEETS).index(i.sheet) if i.sheet in SHEETS else -1, i.row or 0))
    return Validated(rows, issues, state, rates)
