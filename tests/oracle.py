"""An independent reference implementation of docs/METRICS.md, used as a test oracle.

The dashboard aggregates in SQL. This module computes the same ``kpis`` structure a second time,
straight from the workbook rows, in the plainest Python we could write: standard library only, no
pandas, no SQL, and no import of ``dashboard``, so that a mistake in the engine cannot hide in a
shared helper. It is written for clarity, not speed: one small function per definition, each
docstring quoting the definition it implements (including the binding "Precisions" section).

Input: a workbook as ``{sheet_name: [row, ...]}``, every row a dict keyed by the column names of
docs/DATA_CONTRACT.md and holding typed values (``str``, ``int``, ``float``, ``datetime.date``,
``bool``; ``None`` for a blank cell). A missing sheet has no rows. The workbook is assumed valid
(validation is the importer's job); the oracle raises only when a figure cannot be defined at all
(unknown programme or funder, a currency without any exchange rate).

Entry point: :func:`compute_kpis`.

Where METRICS.md leaves a point open that its Precisions do not settle, the most literal reading
is taken and marked ``INTERPRETATION`` in a comment:

- measurements dated after the as-of date do not create indicator rows, and sessions or
  measurements dated after it do not put a country in the ``countries`` section ("nothing dated
  after d counts anywhere");
- after a milestone dated on or before the programme start, interpolation runs from that
  milestone's own date and value;
- the country filter applies to the budget and training sections only (the only sections
  METRICS.md marks "optionally restricted to countries"); funding, the logframe, the overall
  ``progress`` and the ``countries`` section ignore it;
- the as-of default looks at the whole programme, whatever the country filter;
- a computed ``organisations`` indicator counts the distinct non-blank ``organisation_code`` of
  the attendance rows of the linked sessions (sessions carry no organisation);
- "E = b" and "T = b" are tested with a tiny tolerance so that float rounding in the sums of a
  roll-up cannot turn a not-due row into a meaningless pace.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = Mapping[str, Any]
Sheets = Mapping[str, Sequence[Row]]

# --------------------------------------------------------------------------------------------
# Constants: the defaults of METRICS.md and DATA_CONTRACT.md
# --------------------------------------------------------------------------------------------

#: "EUR, XOF, XAF are built in (1, 655.957, 655.957)."
BUILTIN_PER_EUR: dict[str, float] = {"EUR": 1.0, "XOF": 655.957, "XAF": 655.957}

#: "probability: default 0.25 (prospect), 0.5 (submitted)."
DEFAULT_PROBABILITY: dict[str, float] = {"prospect": 0.25, "submitted": 0.5}

#: Budget status thresholds: "overspend if burn_index > 1.10; else underspend if
#: burn_index < 0.80 and elapsed >= 0.25".
OVERSPEND_ABOVE = 1.10
UNDERSPEND_BELOW = 0.80
UNDERSPEND_MIN_ELAPSED = 0.25

#: HHI bands: "diversified if hhi < 0.15; moderate if 0.15 <= hhi <= 0.25; concentrated if
#: hhi > 0.25".
HHI_DIVERSIFIED_BELOW = 0.15
HHI_CONCENTRATED_ABOVE = 0.25

#: Pace bands: "ahead if pace > 1.15; on_track if 0.85 <= pace <= 1.15; behind if pace < 0.85".
PACE_AHEAD_ABOVE = 1.15
PACE_BEHIND_BELOW = 0.85

NON_REPORTING = "non_reporting"
NOT_DUE = "not_due"
AHEAD = "ahead"
ON_TRACK = "on_track"
BEHIND = "behind"

#: Tolerance for the equality tests "E = b" and "T = b" (see the module docstring).
EQUALITY_TOLERANCE = 1e-9


# --------------------------------------------------------------------------------------------
# Reading the workbook
# --------------------------------------------------------------------------------------------

def is_blank(value: Any) -> bool:
    """A blank cell: ``None`` or a string of spaces (the database stores some blanks as '')."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def cell(row: Row, column: str) -> Any:
    """The value of ``column`` in ``row``, ``None`` when blank or absent."""
    value = row.get(column)
    return None if is_blank(value) else value


def as_date(value: Any) -> dt.date | None:
    """A ``datetime.date`` from a date, a datetime or an ISO ``YYYY-MM-DD`` string."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def sheet(sheets: Sheets, name: str) -> list[Row]:
    """The rows of one sheet; "missing sheets = no rows"."""
    return list(sheets.get(name) or [])


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def nearly_equal(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=EQUALITY_TOLERANCE, abs_tol=EQUALITY_TOLERANCE)


@dataclass(frozen=True)
class Programme:
    code: str
    start: dt.date
    end: dt.date


@dataclass
class Scope:
    """What every definition needs: the workbook, the programme, the as-of date ``d``, the rates."""

    sheets: Sheets
    programme: Programme
    d: dt.date
    rates: dict[str, dict[str, float]] = field(default_factory=dict)

    def rows(self, name: str) -> list[Row]:
        """Rows of a sheet that belong to the programme (sheets with a ``programme_code``)."""
        return [r for r in sheet(self.sheets, name) if cell(r, "programme_code") == self.programme.code]


def find_programme(sheets: Sheets, code: str) -> Programme:
    for row in sheet(sheets, "programmes"):
        if cell(row, "code") == code:
            return Programme(code, as_date(row["start_date"]), as_date(row["end_date"]))
    raise ValueError(f"programme {code!r} is not in the workbook")


# --------------------------------------------------------------------------------------------
# As-of date and elapsed time
# --------------------------------------------------------------------------------------------

def programme_grant_codes(sheets: Sheets, programme: str) -> set[str]:
    return {cell(g, "code") for g in sheet(sheets, "grants") if cell(g, "programme_code") == programme}


def default_as_of(sheets: Sheets, programme: str, today: dt.date) -> dt.date:
    """Precision 1: "the latest of the programme's expenditure dates, receipt dates (receipts of
    the programme's grants), measurement period_ends and session end_dates, capped at today. A
    programme with none of these dates uses today."

    INTERPRETATION: the whole programme is looked at, whatever the country filter.
    """
    grants = programme_grant_codes(sheets, programme)
    dates: list[dt.date] = []
    dates += [as_date(e["date"]) for e in sheet(sheets, "expenditures") if cell(e, "programme_code") == programme]
    dates += [as_date(r["date"]) for r in sheet(sheets, "receipts") if cell(r, "grant_code") in grants]
    dates += [as_date(m["period_end"]) for m in sheet(sheets, "measurements") if cell(m, "programme_code") == programme]
    dates += [as_date(s["end_date"]) for s in sheet(sheets, "sessions") if cell(s, "programme_code") == programme]
    dates = [x for x in dates if x is not None]
    if not dates:
        return today
    return min(max(dates), today)


def elapsed(d: dt.date, programme: Programme) -> float:
    """``elapsed(d) = clamp((d - start).days / (end - start).days, 0, 1)``."""
    return clamp((d - programme.start).days / (programme.end - programme.start).days, 0.0, 1.0)


# --------------------------------------------------------------------------------------------
# Currency
# --------------------------------------------------------------------------------------------

def month_key(value: Any) -> str:
    """A month as ``YYYY-MM`` (fx_rates ``month`` column, or the month of a date)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value).strip()[:7]


def rate_table(sheets: Sheets) -> dict[str, dict[str, float]]:
    """The ``fx_rates`` sheet as ``{currency: {"YYYY-MM": per_eur}}``.

    Precision 2: "EUR, XOF and XAF always use the built-in rates" -- rows for them are ignored
    here (the importer rejects them).
    """
    table: dict[str, dict[str, float]] = {}
    for row in sheet(sheets, "fx_rates"):
        currency = cell(row, "currency")
        if currency in BUILTIN_PER_EUR:
            continue
        table.setdefault(currency, {})[month_key(row["month"])] = float(row["per_eur"])
    return table


def per_eur(rates: Mapping[str, Mapping[str, float]], currency: str, month: str) -> float:
    """"Rate lookup: that month; else the most recent earlier month; else the earliest later
    month. EUR, XOF, XAF are built in (1, 655.957, 655.957)."
    """
    if currency in BUILTIN_PER_EUR:
        return BUILTIN_PER_EUR[currency]
    by_month = rates.get(currency) or {}
    if not by_month:
        raise ValueError(f"no exchange rate at all for currency {currency!r}")
    if month in by_month:
        return by_month[month]
    earlier = [m for m in by_month if m < month]
    if earlier:
        return by_month[max(earlier)]
    return by_month[min(m for m in by_month if m > month)]


def to_eur(scope: Scope, amount: Any, currency: str, on: dt.date) -> float:
    """"Each amount is converted to EUR with amount / per_eur(currency, month)"."""
    return float(amount) / per_eur(scope.rates, currency, month_key(on))


def budget_line_eur(scope: Scope, line: Row) -> float:
    """"budget lines use the programme start" (month of the rate)."""
    return to_eur(scope, line["amount"], line["currency"], scope.programme.start)


def expenditure_eur(scope: Scope, expenditure: Row) -> float:
    """"expenditure and receipt date" (month of the rate)."""
    return to_eur(scope, expenditure["amount"], expenditure["currency"], as_date(expenditure["date"]))


def receipt_eur(scope: Scope, receipt: Row) -> float:
    """"expenditure and receipt date" (month of the rate)."""
    return to_eur(scope, receipt["amount"], receipt["currency"], as_date(receipt["date"]))


def grant_eur(scope: Scope, grant: Row) -> float:
    """"grant signed_date, else start_date, else the programme start" (month of the rate)."""
    on = as_date(cell(grant, "signed_date")) or as_date(cell(grant, "start_date")) or scope.programme.start
    return to_eur(scope, grant["amount"], grant["currency"], on)


# --------------------------------------------------------------------------------------------
# Budget
# --------------------------------------------------------------------------------------------

def budget_lines(scope: Scope, countries: Iterable[str] | None = None) -> list[Row]:
    """"A country filter keeps the budget lines of those countries (and their expenditures) only."
    Without a filter: every line of the programme (regional lines included)."""
    lines = scope.rows("budget_lines")
    if countries is None:
        return lines
    keep = set(countries)
    return [line for line in lines if cell(line, "country_iso3") in keep]


def spent_per_line(scope: Scope) -> dict[str, float]:
    """Own spent of every line: "sum of expenditures dated <= d" (negative corrections included)."""
    spent: dict[str, float] = {}
    for e in scope.rows("expenditures"):
        if as_date(e["date"]) <= scope.d:
            code = cell(e, "budget_line_code")
            spent[code] = spent.get(code, 0.0) + expenditure_eur(scope, e)
    return spent


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """Precision 3: figures are "null when their denominator is 0 or null"."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def budget_status(budget: float, spent: float, burn_index: float | None, elapsed_share: float) -> str:
    """"no_data when B = 0; else over_budget if S > B (already spent more than the budget,
    whatever the pace); else overspend if burn_index > 1.10; else underspend if
    burn_index < 0.80 and elapsed >= 0.25; else on_track". Precision 3: "With B > 0 and
    elapsed = 0 the status is on_track (no rule fires)" -- unless S > B."""
    if budget == 0:
        return "no_data"
    if spent > budget:
        return "over_budget"
    if burn_index is not None and burn_index > OVERSPEND_ABOVE:
        return "overspend"
    if burn_index is not None and burn_index < UNDERSPEND_BELOW and elapsed_share >= UNDERSPEND_MIN_ELAPSED:
        return "underspend"
    return "on_track"


def budget_figures(scope: Scope, lines: Sequence[Row]) -> dict[str, Any]:
    """The budget table of METRICS.md over the given lines:

    - budget ``B``: "sum of budget lines";
    - spent ``S``: "sum of expenditures dated <= d";
    - execution: ``S / B``; burn_index: ``execution / elapsed`` (null when elapsed = 0);
    - eac: ``S / elapsed`` (null when elapsed = 0); vac: ``B - eac``;
    - overspent_lines: "budget lines whose own spent > own amount", "sorted by code".
    """
    spent_by_line = spent_per_line(scope)
    amount = {cell(line, "code"): budget_line_eur(scope, line) for line in lines}
    budget = sum(amount.values())
    spent = sum(spent_by_line.get(code, 0.0) for code in amount)
    elapsed_share = elapsed(scope.d, scope.programme)
    execution = ratio(spent, budget)
    burn_index = ratio(execution, elapsed_share)
    eac = ratio(spent, elapsed_share)
    vac = None if eac is None else budget - eac
    return {
        "budget": budget,
        "spent": spent,
        "execution": execution,
        "elapsed": elapsed_share,
        "burn_index": burn_index,
        "eac": eac,
        "vac": vac,
        "status": budget_status(budget, spent, burn_index, elapsed_share),
        "overspent_lines": sorted(code for code in amount if spent_by_line.get(code, 0.0) > amount[code]),
    }


def programme_grants(scope: Scope) -> list[Row]:
    return scope.rows("grants")


def is_signed_by(grant: Row, d: dt.date) -> bool:
    """"grants with status signed and signed_date <= d"."""
    signed = as_date(cell(grant, "signed_date"))
    return cell(grant, "status") == "signed" and signed is not None and signed <= d


def funding_signed(scope: Scope) -> float:
    """``F``: "sum of grants of the programme with status signed and signed_date <= d (in kind
    included) -- programme level only". ``in_kind`` (default false) therefore changes nothing
    here, nor anywhere else in ``kpis``."""
    return sum(grant_eur(scope, g) for g in programme_grants(scope) if is_signed_by(g, scope.d))


def received(scope: Scope) -> float:
    """``R``: "sum of receipts dated <= d, of the programme's grants". Precision 3: "received
    counts receipts of every grant of the programme whatever its status"."""
    grants = {cell(g, "code") for g in programme_grants(scope)}
    return sum(
        receipt_eur(scope, r)
        for r in sheet(scope.sheets, "receipts")
        if cell(r, "grant_code") in grants and as_date(r["date"]) <= scope.d
    )


def budget_section(scope: Scope, countries: Iterable[str] | None) -> dict[str, Any]:
    """The ``budget`` object of ``kpis``. Precision 3: "With a country filter, funding_signed,
    coverage, gap, received and cash_exposure stay programme-level figures" -- so they use the
    unfiltered ``B`` and ``S``."""
    figures = budget_figures(scope, budget_lines(scope, countries))
    whole = budget_figures(scope, budget_lines(scope)) if countries is not None else figures
    signed = funding_signed(scope)
    cash_in = received(scope)
    return {
        "budget": figures["budget"],
        "spent": figures["spent"],
        "execution": figures["execution"],
        "elapsed": figures["elapsed"],
        "burn_index": figures["burn_index"],
        "eac": figures["eac"],
        "vac": figures["vac"],
        "status": figures["status"],
        "funding_signed": signed,
        "coverage": ratio(signed, whole["budget"]),  # "coverage: F / B"
        "gap": max(0.0, whole["budget"] - signed),  # "gap = max(0, B - F)"
        "received": cash_in,
        "cash_exposure": max(0.0, whole["spent"] - cash_in),  # "max(0, S - R)"
        "overspent_lines": figures["overspent_lines"],
    }


# --------------------------------------------------------------------------------------------
# Funding diversification
# --------------------------------------------------------------------------------------------

def funder_types(sheets: Sheets) -> dict[str, str]:
    return {cell(f, "code"): cell(f, "type") for f in sheet(sheets, "funders")}


def signed_per_funder(scope: Scope) -> dict[str, float]:
    """"Funding base: grants with status signed and signed_date <= d. a_f = sum per funder"."""
    per_funder: dict[str, float] = {}
    for g in programme_grants(scope):
        if is_signed_by(g, scope.d):
            funder = cell(g, "funder_code")
            per_funder[funder] = per_funder.get(funder, 0.0) + grant_eur(scope, g)
    return per_funder


def hhi_band(hhi: float) -> str:
    """"diversified if hhi < 0.15; moderate if 0.15 <= hhi <= 0.25; concentrated if hhi > 0.25"."""
    if hhi < HHI_DIVERSIFIED_BELOW:
        return "diversified"
    if hhi <= HHI_CONCENTRATED_ABOVE:
        return "moderate"
    return "concentrated"


def pipeline_weighted(scope: Scope) -> float:
    """"sum over grants with status prospect or submitted of amount x probability (future money:
    the as-of date does not filter it)". Precision 4: it "uses the grant's EUR amount"; the
    probability defaults to 0.25 (prospect) and 0.5 (submitted)."""
    total = 0.0
    for g in programme_grants(scope):
        status = cell(g, "status")
        if status in DEFAULT_PROBABILITY:
            probability = cell(g, "probability")
            if probability is None:
                probability = DEFAULT_PROBABILITY[status]
            total += grant_eur(scope, g) * float(probability)
    return total


def funding_section(scope: Scope) -> dict[str, Any]:
    """The ``funding`` object of ``kpis``:

    - share ``s_f = a_f / A``; hhi ``sum s_f^2``; effective_funders ``1 / hhi``;
    - top_funder, top_share: "funder with the largest share (ties: smallest code)";
      top3_share: "the sum of the (up to) three largest shares";
    - by_funder, by_type: "shares per funder code and per funder type";
    - Precision 4: "with no signed funding (A = 0), hhi, effective_funders, band, top_funder,
      top_share and top3_share are null and by_funder/by_type are empty".
    """
    per_funder = signed_per_funder(scope)
    total = sum(per_funder.values())
    section: dict[str, Any] = {
        "total_signed": total,
        "hhi": None,
        "effective_funders": None,
        "band": None,
        "top_funder": None,
        "top_share": None,
        "top3_share": None,
        "by_funder": {},
        "by_type": {},
        "pipeline_weighted": pipeline_weighted(scope),
    }
    if total == 0:
        return section
    shares = {funder: amount / total for funder, amount in per_funder.items()}
    hhi = sum(share**2 for share in shares.values())
    ranked = sorted(shares.items(), key=lambda item: (-item[1], item[0]))
    types = funder_types(scope.sheets)
    by_type: dict[str, float] = {}
    for funder, share in shares.items():
        if funder not in types:
            raise ValueError(f"funder {funder!r} is not in the funders sheet")
        by_type[types[funder]] = by_type.get(types[funder], 0.0) + share
    section.update(
        hhi=hhi,
        effective_funders=1 / hhi,
        band=hhi_band(hhi),
        top_funder=ranked[0][0],
        top_share=ranked[0][1],
        top3_share=sum(share for _, share in ranked[:3]),
        by_funder=dict(sorted(shares.items())),
        by_type=dict(sorted(by_type.items())),
    )
    return section


# --------------------------------------------------------------------------------------------
# Training reach
# --------------------------------------------------------------------------------------------

def participant_sexes(sheets: Sheets, d: dt.date) -> dict[str, str]:
    """"A participant's sex is the non-blank value of any of their attendance rows in sessions
    (of any programme) started on or before d: a row dated after d never changes a figure as of
    d" (every programme; the session's start_date is the row's date)."""
    started = {cell(s, "code") for s in sheet(sheets, "sessions") if as_date(s["start_date"]) <= d}
    sexes: dict[str, str] = {}
    for row in sheet(sheets, "attendance"):
        sex = cell(row, "sex")
        if sex is not None and cell(row, "session_code") in started:
            sexes[cell(row, "participant_key")] = sex
    return sexes


def held_sessions(scope: Scope, countries: Iterable[str] | None = None) -> list[Row]:
    """"Sessions: the programme's sessions with start_date <= d (and country in the filter)".
    With a filter, regional sessions (blank country) are left out."""
    sessions = [s for s in scope.rows("sessions") if as_date(s["start_date"]) <= scope.d]
    if countries is None:
        return sessions
    keep = set(countries)
    return [s for s in sessions if cell(s, "country_iso3") in keep]


def attendance_of(sheets: Sheets, sessions: Sequence[Row]) -> list[Row]:
    """"Attendance: their rows"."""
    codes = {cell(s, "code") for s in sessions}
    return [a for a in sheet(sheets, "attendance") if cell(a, "session_code") in codes]


def distinct_participants(sheets: Sheets, sessions: Sequence[Row]) -> set[str]:
    """"participants: distinct participant_key"."""
    return {cell(a, "participant_key") for a in attendance_of(sheets, sessions)}


def distinct_organisations(sheets: Sheets, sessions: Sequence[Row]) -> set[str]:
    """"organisations: distinct non-blank organisation_code"."""
    return {
        cell(a, "organisation_code")
        for a in attendance_of(sheets, sessions)
        if cell(a, "organisation_code") is not None
    }


def training_section(scope: Scope, countries: Iterable[str] | None) -> dict[str, Any]:
    """The ``training`` object of ``kpis``:

    - sessions: "number of sessions"; attendances: "number of attendance rows";
    - participant_hours: "sum over attendance rows of the session's hours";
    - women_share: "participants with sex F / participants with sex in (F, M, X); null if none
      known"; unknown_sex_share: "participants with blank sex / participants" (Precision 5: null
      when there are no participants);
    - repeat_participants: "participants with >= 2 attendance rows" (Precision 5: "counts
      attendance rows within the selected sessions").
    """
    sessions = held_sessions(scope, countries)
    hours = {cell(s, "code"): float(s["hours"]) for s in sessions}
    rows = attendance_of(scope.sheets, sessions)
    rows_per_participant: dict[str, int] = {}
    for a in rows:
        key = cell(a, "participant_key")
        rows_per_participant[key] = rows_per_participant.get(key, 0) + 1
    participants = set(rows_per_participant)
    sexes = participant_sexes(scope.sheets, scope.d)
    known = [p for p in participants if sexes.get(p) in {"F", "M", "X"}]
    women = [p for p in known if sexes[p] == "F"]
    unknown = [p for p in participants if p not in sexes]
    return {
        "sessions": len(sessions),
        "attendances": len(rows),
        "participants": len(participants),
        "organisations": len(distinct_organisations(scope.sheets, sessions)),
        "participant_hours": sum(hours[cell(a, "session_code")] for a in rows),
        "women_share": ratio(len(women), len(known)),
        "unknown_sex_share": ratio(len(unknown), len(participants)),
        "repeat_participants": sum(1 for n in rows_per_participant.values() if n >= 2),
    }


# --------------------------------------------------------------------------------------------
# Logframe progress
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    """An indicator with the defaults of DATA_CONTRACT.md applied: "direction increase
    (default)", "aggregation sum (default)", "baseline default 0"."""

    code: str
    node: str
    unit: str
    direction: str
    aggregation: str
    baseline: float
    computed_from: str | None


def indicator_from_row(row: Row) -> Indicator:
    baseline = cell(row, "baseline")
    return Indicator(
        code=cell(row, "code"),
        node=cell(row, "logframe_code"),
        unit=cell(row, "unit") or "other",
        direction=cell(row, "direction") or "increase",
        aggregation=cell(row, "aggregation") or "sum",
        baseline=0.0 if baseline is None else float(baseline),
        computed_from=cell(row, "computed_from"),
    )


def nodes_at_or_below(scope: Scope, node: str) -> set[str]:
    """"sessions linked to the indicator's node or any node below it": the node and all its
    descendants through ``parent_code`` in the programme's logframe."""
    children: dict[str, list[str]] = {}
    for row in scope.rows("logframe"):
        children.setdefault(cell(row, "parent_code"), []).append(cell(row, "code"))
    found, todo = set(), [node]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def milestones(scope: Scope, indicator: str, country: str | None) -> list[tuple[dt.date, float]]:
    """"targets are cumulative milestones (period_end_k, t_k)", "taken in period_end order".
    ``country`` None = the regional targets."""
    found = [
        (as_date(t["period_end"]), float(t["target"]))
        for t in scope.rows("targets")
        if cell(t, "indicator_code") == indicator and cell(t, "country_iso3") == country
    ]
    return sorted(found)


def expected_value(start: dt.date, baseline: float, steps: Sequence[tuple[dt.date, float]], d: dt.date) -> float:
    """"expected E: piecewise-linear interpolation through (start, b) and the milestones, at d;
    after the last milestone E = T." Precision 6: "interpolation is linear in days; for
    d <= start, E = b. Milestones are taken in period_end order; a milestone dated on or before
    start is reached at its own date (so E jumps to it)."

    INTERPRETATION: after such an early milestone, the next segment starts from that milestone's
    own date and value (the curve goes through the point ``(period_end, t)`` itself).
    """
    if d <= start:
        return baseline
    previous_date, previous_value = start, baseline
    for when, value in steps:
        if when <= d:  # milestone reached (always the case for one dated on or before start)
            previous_date, previous_value = when, value
            continue
        share = (d - previous_date).days / (when - previous_date).days
        return previous_value + (value - previous_value) * share
    return previous_value  # after the last milestone: E = T


def measured_actual(scope: Scope, indicator: Indicator, country: str | None) -> float | None:
    """"measured indicators: measurements with period_end <= d; sum -> b + sum of values;
    latest -> value of the latest period_end. No measurement -> status non_reporting."
    Precision 6: for latest, "the baseline is not added"."""
    due = sorted(
        (as_date(m["period_end"]), float(m["value"]))
        for m in scope.rows("measurements")
        if cell(m, "indicator_code") == indicator.code
        and cell(m, "country_iso3") == country
        and as_date(m["period_end"]) <= scope.d
    )
    if not due:
        return None
    if indicator.aggregation == "latest":
        return due[-1][1]
    return indicator.baseline + sum(value for _, value in due)


def computed_actual(scope: Scope, indicator: Indicator, country: str | None) -> float:
    """"computed indicators: from sessions linked to the indicator's node or any node below it,
    in country c (regional: all countries), start_date <= d: sessions = count, participants =
    distinct keys, organisations = distinct organisation codes; A = b + that figure (0 is a
    valid value)." Precision 6: "The regional row of a computed indicator counts sessions of all
    countries (blank included); a country row counts the sessions of that country only."
    """
    nodes = nodes_at_or_below(scope, indicator.node)
    sessions = [
        s
        for s in held_sessions(scope)
        if cell(s, "logframe_code") in nodes and (country is None or cell(s, "country_iso3") == country)
    ]
    if indicator.computed_from == "sessions":
        figure = len(sessions)
    elif indicator.computed_from == "participants":
        figure = len(distinct_participants(scope.sheets, sessions))
    elif indicator.computed_from == "organisations":
        # INTERPRETATION: the organisations of the attendance rows (sessions carry none).
        figure = len(distinct_organisations(scope.sheets, sessions))
    else:
        raise ValueError(f"indicator {indicator.code}: unknown computed_from {indicator.computed_from!r}")
    return indicator.baseline + figure


def achievement(actual: float, baseline: float, target: float, direction: str) -> float | None:
    """"achievement = (A - b) / (T - b) (decrease: (b - A) / (b - T)); null when T = b."
    (Both forms are the same number; the direction only changes how a user reads it.)"""
    if nearly_equal(target, baseline):
        return None
    if direction == "decrease":
        return (baseline - actual) / (baseline - target)
    return (actual - baseline) / (target - baseline)


def pace(actual: float, baseline: float, expected: float, direction: str) -> float | None:
    """"pace = (A - b) / (E - b) (decrease: (b - A) / (b - E)); when E = b -> status not_due"
    (and the pace is null)."""
    if nearly_equal(expected, baseline):
        return None
    if direction == "decrease":
        return (baseline - actual) / (baseline - expected)
    return (actual - baseline) / (expected - baseline)


def pace_band(value: float) -> str:
    """"ahead if pace > 1.15; on_track if 0.85 <= pace <= 1.15; behind if pace < 0.85"."""
    if value > PACE_AHEAD_ABOVE:
        return AHEAD
    if value < PACE_BEHIND_BELOW:
        return BEHIND
    return ON_TRACK


def indicator_row(
    code: str,
    country: str | None,
    rollup: bool,
    direction: str,
    baseline: float,
    target: float | None,
    expected: float | None,
    actual: float | None,
) -> dict[str, Any]:
    """One row of ``indicators`` with its status: "status precedence: non_reporting first, then
    not_due, then the pace bands. A non_reporting row still gives its baseline, target and
    expected (null without a target); its actual, achievement and pace are null."
    A row is non_reporting when it has no target or no actual ("No target -> status
    non_reporting", "No measurement -> status non_reporting")."""
    row = {
        "code": code,
        "country": country,
        "rollup": rollup,
        "baseline": baseline,
        "target": target,
        "expected": expected,
        "actual": None,
        "achievement": None,
        "pace": None,
        "status": NON_REPORTING,
    }
    if target is None or actual is None:
        return row
    row["actual"] = actual
    row["achievement"] = achievement(actual, baseline, target, direction)
    row["pace"] = pace(actual, baseline, expected, direction)
    row["status"] = NOT_DUE if row["pace"] is None else pace_band(row["pace"])
    return row


def own_row(scope: Scope, indicator: Indicator, country: str | None) -> dict[str, Any]:
    """The row of indicator ``i`` for country ``c`` (``None`` = regional), as of ``d``:
    "baseline b = the indicator's baseline"; "the final target T is the one with the latest
    period_end"; ``A`` measured or computed; ``E`` interpolated."""
    steps = milestones(scope, indicator.code, country)
    b = indicator.baseline
    target = steps[-1][1] if steps else None
    expected = expected_value(scope.programme.start, b, steps, scope.d) if steps else None
    if indicator.computed_from:
        actual = computed_actual(scope, indicator, country)
    else:
        actual = measured_actual(scope, indicator, country)
    return indicator_row(indicator.code, country, False, indicator.direction, b, target, expected, actual)


def rollup_row(indicator: Indicator, country_rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """"Programme roll-up of an indicator that has country targets: over the countries whose own
    row is not non_reporting, T, E and A are the sums (the means for unit percent) and b is the
    baseline times the number of those countries (the baseline itself for percent); status,
    achievement and pace then follow the rules above. No such country -> non_reporting."
    Precision 6: "When no country reports, it is non_reporting with b, T and E taken over every
    country that has a target (sums, or means for percent), and null actual, achievement and
    pace."
    """
    percent = indicator.unit == "percent"
    combine = mean if percent else sum
    reporting = [r for r in country_rows if r["status"] != NON_REPORTING]
    over = reporting or [r for r in country_rows if r["target"] is not None]
    baseline = indicator.baseline if percent else indicator.baseline * len(over)
    target = combine([r["target"] for r in over])
    expected = combine([r["expected"] for r in over])
    actual = combine([r["actual"] for r in over]) if reporting else None
    return indicator_row(indicator.code, None, True, indicator.direction, baseline, target, expected, actual)


def row_countries(scope: Scope, indicator: Indicator) -> set[str | None]:
    """"An indicator has one row per country (and one regional row) that has a target or a
    measurement for it" (``None`` = the regional row).

    INTERPRETATION: "nothing dated after d counts anywhere", so a measurement dated after ``d``
    creates no row. Computed indicators have no measurements."""
    found = {cell(t, "country_iso3") for t in scope.rows("targets") if cell(t, "indicator_code") == indicator.code}
    if not indicator.computed_from:
        found |= {
            cell(m, "country_iso3")
            for m in scope.rows("measurements")
            if cell(m, "indicator_code") == indicator.code and as_date(m["period_end"]) <= scope.d
        }
    return found


def indicators_section(scope: Scope) -> list[dict[str, Any]]:
    """Every indicator row. Precision 6: "Roll-up row (country null, rollup true) exists for every
    indicator that has at least one country target." "Row order: by indicator code; for one
    indicator the roll-up row, then the regional row, then countries by ISO3 code."
    """
    rows: list[dict[str, Any]] = []
    for indicator in sorted((indicator_from_row(r) for r in scope.rows("indicators")), key=lambda i: i.code):
        places = row_countries(scope, indicator)
        country_rows = [own_row(scope, indicator, c) for c in sorted(c for c in places if c is not None)]
        if any(r["target"] is not None for r in country_rows):
            rows.append(rollup_row(indicator, country_rows))
        if None in places:
            rows.append(own_row(scope, indicator, None))
        rows.extend(country_rows)
    return rows


def progress(rows: Iterable[dict[str, Any]]) -> float | None:
    """"progress = mean of clamp(achievement, 0, 1) over its indicator rows that are neither
    non_reporting nor not_due and have an achievement ... Null when there is no such row"."""
    values = [
        clamp(r["achievement"], 0.0, 1.0)
        for r in rows
        if r["status"] not in {NON_REPORTING, NOT_DUE} and r["achievement"] is not None
    ]
    return mean(values) if values else None


def programme_progress(rows: Sequence[dict[str, Any]]) -> float | None:
    """"the programme uses the roll-up rows and the regional rows"."""
    return progress(r for r in rows if r["country"] is None)


def country_progress(rows: Sequence[dict[str, Any]], country: str) -> float | None:
    """"a country uses its own rows"."""
    return progress(r for r in rows if r["country"] == country and not r["rollup"])


# --------------------------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------------------------

def programme_countries(scope: Scope) -> list[str]:
    """"countries lists every country that has a budget line, a session, a target or a
    measurement in the programme."

    INTERPRETATION: sessions starting after ``d`` and measurements dated after ``d`` do not
    count ("nothing dated after d counts anywhere"); targets always do (they are the plan).
    """
    found = {cell(line, "country_iso3") for line in scope.rows("budget_lines")}
    found |= {cell(s, "country_iso3") for s in held_sessions(scope)}
    found |= {cell(t, "country_iso3") for t in scope.rows("targets")}
    found |= {cell(m, "country_iso3") for m in scope.rows("measurements") if as_date(m["period_end"]) <= scope.d}
    return sorted(c for c in found if c is not None)


def countries_section(scope: Scope, rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Precision 7: "budget, spent, execution, burn_index, status are the budget figures
    restricted to that country; participants the distinct participants of the sessions held
    there (start_date <= d); progress the country progress (null when none); statuses counts the
    country's own indicator rows per status (statuses with no row omitted)."
    """
    section: dict[str, dict[str, Any]] = {}
    for country in programme_countries(scope):
        figures = budget_figures(scope, budget_lines(scope, [country]))
        statuses: dict[str, int] = {}
        for r in rows:
            if r["country"] == country and not r["rollup"]:
                statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        section[country] = {
            "budget": figures["budget"],
            "spent": figures["spent"],
            "execution": figures["execution"],
            "burn_index": figures["burn_index"],
            "status": figures["status"],
            "participants": len(distinct_participants(scope.sheets, held_sessions(scope, [country]))),
            "progress": country_progress(rows, country),
            "statuses": dict(sorted(statuses.items())),
        }
    return section


# --------------------------------------------------------------------------------------------
# The kpis object
# --------------------------------------------------------------------------------------------

def compute_kpis(
    sheets: Sheets,
    programme: str,
    as_of: dt.date | str | None = None,
    countries: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The ``kpis`` object of METRICS.md for one programme.

    ``as_of`` defaults to :func:`default_as_of` (capped at ``today``, which defaults to the real
    today); an explicit ``as_of`` is used as given. ``countries`` (ISO3 codes) restricts the
    budget lines, their expenditures and the sessions; ``None`` means no filter.
    """
    today = today or dt.date.today()
    found = find_programme(sheets, programme)
    d = as_date(as_of) if as_of is not None else default_as_of(sheets, programme, today)
    scope = Scope(sheets=sheets, programme=found, d=d, rates=rate_table(sheets))
    if countries is not None:
        countries = list(countries)
    rows = indicators_section(scope)
    return {
        "programme": programme,
        "as_of": d.isoformat(),
        "currency": "EUR",
        "budget": budget_section(scope, countries),
        "funding": funding_section(scope),
        "training": training_section(scope, countries),
        "countries": countries_section(scope, rows),
        "indicators": rows,
        "progress": programme_progress(rows),
    }
