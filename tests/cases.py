"""Hand-computed cases of docs/METRICS.md, shared by the oracle tests and the engine tests.

Each case is a tiny, valid programme workbook (it honours docs/DATA_CONTRACT.md, so it can also
go through the importer) with the figures we expect, worked out by hand in the comments:

    {"id": str, "sheets": {sheet: [row, ...]}, "programme": str, "as_of": date | None,
     "countries": list | None, "today": date | None, "expect": {path: value}}

``path`` points into the ``kpis`` object (see :func:`lookup`): ``"budget.spent"``,
``"funding.by_funder.AFD"``, ``"countries.SEN.statuses.behind"``, ``"indicators[R1:SEN].status"``
(a country row), ``"indicators[R1:*rollup].target"`` (the programme roll-up),
``"indicators[R1:-].actual"`` (the regional row). ``"indicators[]"`` lists the row ids in order
and ``"<dict path>[]"`` lists a dict's keys. The value :data:`ABSENT` means "this path must not
exist". Numbers compare to within 1e-9; everything else compares with ``==``.

Almost every case uses programme ``P``: 1 January 2024 to 10 April 2024, exactly 100 days, so
that ``elapsed`` is the day number divided by 100. ``day(n)`` is the date ``n`` days after the
start: day(10) = 2024-01-11, day(25) = 2024-01-26, day(31) = 2024-02-01, day(50) = 2024-02-20,
day(60) = 2024-03-01, day(100) = 2024-04-10 (the end).

Cases whose expectation rests on an interpretation of a point METRICS.md leaves open carry the
word ``interpretation`` in their id; the comment says which reading was taken.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

# --------------------------------------------------------------------------------------------
# Paths into the kpis object
# --------------------------------------------------------------------------------------------

#: Expected value meaning "the path does not exist" (e.g. no roll-up row for that indicator).
ABSENT = "<absent>"

_SEGMENT = re.compile(r"(?:[^.\[]|\[[^\]]*\])+")  # a dotted segment; dots inside [...] are kept
_SELECTOR = re.compile(r"^(?P<key>[^\[]+)(?:\[(?P<selector>[^\]]*)\])?$")


def row_id(row: dict[str, Any]) -> str:
    """The id of an indicator row: ``CODE:ISO3``, ``CODE:-`` (regional), ``CODE:*rollup``."""
    if row["rollup"]:
        return f"{row['code']}:*rollup"
    return f"{row['code']}:{row['country'] or '-'}"


def _select_row(rows: list[dict[str, Any]], selector: str) -> dict[str, Any]:
    wanted = [r for r in rows if row_id(r) == selector]
    if not wanted:
        raise KeyError(f"no indicator row {selector!r} (rows: {[row_id(r) for r in rows]})")
    return wanted[0]


def lookup(kpis: dict[str, Any], path: str) -> Any:
    """Resolve a dotted ``path`` in a ``kpis`` object; raise ``KeyError`` when it does not exist.

    >>> kpis = {"indicators": [{"code": "R1", "country": "SEN", "rollup": False, "status": "behind"}]}
    >>> lookup(kpis, "indicators[R1:SEN].status")
    'behind'
    >>> lookup(kpis, "indicators[]")
    ['R1:SEN']
    """
    current: Any = kpis
    for segment in _SEGMENT.findall(path):
        match = _SELECTOR.match(segment)
        if not match:
            raise KeyError(f"bad path segment {segment!r} in {path!r}")
        key, selector = match["key"], match["selector"]
        if not isinstance(current, dict) or key not in current:
            raise KeyError(f"{key!r} not found while resolving {path!r}")
        current = current[key]
        if selector is None:
            continue
        if selector == "":
            current = [row_id(r) for r in current] if isinstance(current, list) else list(current)
        else:
            current = _select_row(current, selector)
    return current


# --------------------------------------------------------------------------------------------
# Row builders: every column of DATA_CONTRACT.md, blanks as None
# --------------------------------------------------------------------------------------------

P = "P"
START = dt.date(2024, 1, 1)
END = dt.date(2024, 4, 10)  # 100 days after START


def day(n: int) -> dt.date:
    """The date ``n`` days after the start of programme ``P`` (elapsed = n / 100)."""
    return START + dt.timedelta(days=n)


def programme(code: str = P, start: dt.date = START, end: dt.date = END):
    return "programmes", {"code": code, "name": f"Programme {code}", "start_date": start, "end_date": end,
                          "lead_organisation": None, "description": None}


def node(code: str, level: str, parent: str | None = None, prog: str = P):
    return "logframe", {"programme_code": prog, "code": code, "level": level, "parent_code": parent,
                        "title": f"{level} {code}", "description": None}


#: The logframe every case of programme P gets: G > OS1 > R1 > (A1, A2); OS1 > R2 > A3.
STANDARD_LOGFRAME = [
    node("G", "goal"),
    node("OS1", "objective", "G"),
    node("R1", "result", "OS1"),
    node("A1", "activity", "R1"),
    node("A2", "activity", "R1"),
    node("R2", "result", "OS1"),
    node("A3", "activity", "R2"),
]


#: A second programme Q with its own small logframe, for "other programmes are ignored" checks.
PROGRAMME_Q = [
    programme("Q"),
    node("G", "goal", prog="Q"),
    node("OQ", "objective", "G", prog="Q"),
    node("RQ", "result", "OQ", prog="Q"),
    node("AQ", "activity", "RQ", prog="Q"),
]


def indicator(code: str, logframe: str = "R1", unit: str = "count", direction: str | None = None,
              aggregation: str | None = None, baseline: float | None = None,
              computed_from: str | None = None, prog: str = P):
    return "indicators", {"programme_code": prog, "code": code, "logframe_code": logframe,
                          "label": f"Indicator {code}", "unit": unit, "direction": direction,
                          "aggregation": aggregation, "baseline": baseline,
                          "computed_from": computed_from}


def target(ind: str, period_end: dt.date, value: float, country: str | None = None, prog: str = P):
    return "targets", {"programme_code": prog, "indicator_code": ind, "country_iso3": country,
                       "period_end": period_end, "target": value}


def measurement(ind: str, period_end: dt.date, value: float, country: str | None = None, prog: str = P):
    return "measurements", {"programme_code": prog, "indicator_code": ind, "country_iso3": country,
                            "period_end": period_end, "value": value, "source": None, "comment": None}


def funder(code: str, type_: str = "foundation"):
    return "funders", {"code": code, "name": f"Funder {code}", "type": type_, "country_iso3": None}


def grant(code: str, funder_code: str, status: str, amount: float, currency: str = "EUR",
          signed: dt.date | None = None, start: dt.date | None = None,
          probability: float | None = None, in_kind: bool | None = None, prog: str = P):
    return "grants", {"code": code, "funder_code": funder_code, "programme_code": prog, "status": status,
                      "amount": amount, "currency": currency, "signed_date": signed, "start_date": start,
                      "end_date": None, "probability": probability, "in_kind": in_kind}


def receipt(grant_code: str, on: dt.date, amount: float, currency: str = "EUR", reference: str | None = None):
    return "receipts", {"grant_code": grant_code, "date": on, "reference": reference,
                        "amount": amount, "currency": currency}


def line(code: str, amount: float, currency: str = "EUR", country: str | None = None, prog: str = P):
    return "budget_lines", {"programme_code": prog, "code": code, "country_iso3": country,
                            "category": "activities", "logframe_code": None, "label": f"Line {code}",
                            "amount": amount, "currency": currency}


def spend(reference: str, line_code: str, on: dt.date, amount: float, currency: str = "EUR", prog: str = P):
    return "expenditures", {"programme_code": prog, "reference": reference, "budget_line_code": line_code,
                            "date": on, "amount": amount, "currency": currency, "grant_code": None,
                            "description": None}


def organisation(code: str, country: str = "SEN"):
    return "organisations", {"code": code, "name": f"Organisation {code}", "country_iso3": country,
                             "type": "local_association", "city": None}


def session(code: str, logframe: str, start: dt.date, country: str | None = "SEN", hours: float = 1.0,
            end: dt.date | None = None, prog: str = P):
    return "sessions", {"code": code, "programme_code": prog, "logframe_code": logframe,
                        "title": f"Session {code}", "kind": "training", "country_iso3": country,
                        "city": None, "latitude": None, "longitude": None, "start_date": start,
                        "end_date": end or start, "hours": hours, "theme": None}


def attend(session_code: str, participant: str, org: str | None = None, sex: str | None = None):
    return "attendance", {"session_code": session_code, "participant_key": participant,
                          "organisation_code": org, "sex": sex, "age_band": None}


def fx(currency: str, month: str, per_eur: float):
    return "fx_rates", {"currency": currency, "month": month, "per_eur": per_eur}


def workbook(*items: tuple[str, dict[str, Any]], base: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Group ``(sheet, row)`` items into a workbook; ``base`` adds programme P and its logframe."""
    sheets: dict[str, list[dict[str, Any]]] = {}
    for name, row in ([programme(), *STANDARD_LOGFRAME] if base else []) + list(items):
        sheets.setdefault(name, []).append(row)
    return sheets


def case(case_id: str, sheets: dict, expect: dict[str, Any], as_of: dt.date | None = None,
         countries: list[str] | None = None, today: dt.date | None = None, prog: str = P) -> dict[str, Any]:
    """One entry of :data:`CASES` (``as_of`` None = the default as-of date, capped at ``today``)."""
    return {"id": case_id, "sheets": sheets, "programme": prog, "as_of": as_of,
            "countries": countries, "today": today, "expect": expect}


def _one_line_spent(*amounts_and_days: tuple[float, int]) -> dict:
    """One EUR line L1 of 1000 with the given expenditures (amount, day)."""
    return workbook(line("L1", 1000), *(spend(f"E{i}", "L1", day(n), a) for i, (a, n) in enumerate(amounts_and_days)))


def _training_items() -> list:
    """Sessions and attendance shared by the training cases (programme P, plus Q's session SQ).

    S1 SEN day 9, 3 h: p1 F O1 | p2 M - | p3 (blank) O1
    S2 MLI day 31, 2 h: p1 (blank) O2 | p3 X O2 | p4 (blank) - | p6 (blank) O2
    S3 SEN day 60, 4 h (after d = day 50): p5 F O3
    SQ (programme Q) SEN day 4: p4 M O3 -> p4's sex comes from another programme
    """
    return [
        *PROGRAMME_Q,
        organisation("O1"), organisation("O2", "MLI"), organisation("O3"),
        session("S1", "A1", day(9), "SEN", hours=3, end=day(10)),
        session("S2", "A2", day(31), "MLI", hours=2),
        session("S3", "A1", day(60), "SEN", hours=4),
        session("SQ", "AQ", day(4), "SEN", prog="Q"),
        attend("S1", "p1", "O1", "F"), attend("S1", "p2", None, "M"), attend("S1", "p3", "O1", None),
        attend("S2", "p1", "O2", None), attend("S2", "p3", "O2", "X"), attend("S2", "p4", None, None),
        attend("S2", "p6", "O2", None),
        attend("S3", "p5", "O3", "F"),
        attend("SQ", "p4", "O3", "M"),
    ]


def _filter_items() -> list:
    """Budget, funding and a regional session added to the training data for the filter cases.

    Lines: L-SEN 1000 (SEN), L-MLI 500 (MLI), L-HQ 500 (regional) -> B = 2000.
    Spent by day 10: SEN 200, MLI 100, HQ 300 -> S = 600.
    G1 signed 1500 on day 5; receipt 250 on day 10.
    S4 regional (blank country) day 20, 5 h: p2 (M).
    """
    return _training_items() + [
        line("L-SEN", 1000, country="SEN"), line("L-MLI", 500, country="MLI"), line("L-HQ", 500),
        spend("E1", "L-SEN", day(10), 200), spend("E2", "L-MLI", day(10), 100), spend("E3", "L-HQ", day(10), 300),
        funder("AFD", "public_bilateral"), grant("G1", "AFD", "signed", 1500, signed=day(5)),
        receipt("G1", day(10), 250),
        session("S4", "A1", day(20), None, hours=5), attend("S4", "p2", None, "M"),
    ]


# --------------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------------

CASES: list[dict[str, Any]] = [
    # ---------------------------------------------------------------- as-of date and elapsed
    case(
        "as_of_default_is_latest_programme_date",
        workbook(
            *PROGRAMME_Q,
            funder("F1"), grant("G1", "F1", "signed", 100, signed=day(1)),
            grant("GQ", "F1", "signed", 100, signed=day(1), prog="Q"),
            line("L1", 1000), line("LQ", 1000, prog="Q"),
            spend("E1", "L1", day(20), 100),            # expenditure: day 20
            spend("EQ", "LQ", day(90), 50, prog="Q"),   # other programme: ignored
            receipt("G1", day(35), 10),                 # receipt: day 35
            receipt("GQ", day(95), 10),                 # receipt of Q's grant: ignored
            indicator("I1"), measurement("I1", day(45), 1),  # measurement: day 45
            session("S1", "A1", day(40), end=day(52)),  # session END date: day 52 <- latest
            session("SQ", "AQ", day(98), prog="Q"),     # other programme: ignored
        ),
        # latest = max(20, 35, 45, 52) = day 52 = 2024-02-22 (today is far later); elapsed = 0.52
        {"as_of": "2024-02-22", "budget.elapsed": 0.52, "budget.spent": 100.0},
        today=dt.date(2024, 12, 31),
    ),
    case(
        "as_of_default_is_capped_at_today",
        _one_line_spent((100, 80)),
        # latest date = day 80, today = day 64 (2024-03-05) -> d = 2024-03-05, elapsed 0.64.
        # The expenditure of day 80 is after d: S = 0; execution 0; burn 0 < 0.80 with
        # elapsed >= 0.25 -> underspend.
        {"as_of": "2024-03-05", "budget.elapsed": 0.64, "budget.spent": 0.0, "budget.status": "underspend"},
        today=day(64),
    ),
    case(
        "as_of_default_without_any_date_is_today",
        workbook(line("L1", 1000)),
        # no expenditure, receipt, measurement or session: d = today = day 50, elapsed 0.5;
        # S = 0: execution 0, burn 0, eac 0 / 0.5 = 0, vac 1000 - 0 = 1000, underspend
        {"as_of": "2024-02-20", "budget.elapsed": 0.5, "budget.execution": 0.0, "budget.burn_index": 0.0,
         "budget.eac": 0.0, "budget.vac": 1000.0, "budget.status": "underspend"},
        today=day(50),
    ),
    case(
        "explicit_as_of_is_not_capped_at_today",
        _one_line_spent((100, 10)),
        # an explicit as-of date is used as given, even after today: elapsed 60 / 100
        {"as_of": "2024-03-01", "budget.elapsed": 0.6},
        as_of=day(60), today=day(31),
    ),
    case(
        "elapsed_clamps_to_zero_before_start",
        workbook(line("L1", 1000), spend("E1", "L1", dt.date(2023, 11, 20), 50)),
        # d = 2023-12-01 < start: elapsed = clamp(-31 / 100) = 0. S = 50 (dated <= d).
        # execution 50 / 1000 = 0.05; burn_index, eac, vac null (elapsed = 0); B > 0 -> on_track
        {"budget.elapsed": 0.0, "budget.spent": 50.0, "budget.execution": 0.05, "budget.burn_index": None,
         "budget.eac": None, "budget.vac": None, "budget.status": "on_track"},
        as_of=dt.date(2023, 12, 1),
    ),
    case(
        "elapsed_clamps_to_one_after_end",
        workbook(line("L1", 1000), spend("E1", "L1", day(10), 700), spend("E2", "L1", dt.date(2024, 5, 15), 500)),
        # d = 2024-06-01 > end: elapsed 1. S = 700 + 500 = 1200; execution 1.2; burn 1.2 / 1 = 1.2;
        # S 1200 > B 1000 -> over_budget (before the burn bands); eac 1200; vac 1000 - 1200 = -200;
        # L1 spent 1200 > 1000
        {"budget.elapsed": 1.0, "budget.spent": 1200.0, "budget.burn_index": 1.2, "budget.eac": 1200.0,
         "budget.vac": -200.0, "budget.status": "over_budget", "budget.overspent_lines": ["L1"]},
        as_of=dt.date(2024, 6, 1),
    ),
    # ---------------------------------------------------------------- currency
    case(
        "fx_rate_uses_same_then_earlier_then_later_month",
        workbook(
            fx("USD", "2024-02", 1.25), fx("USD", "2024-04", 2.0), fx("CHF", "2024-03", 0.8),
            line("L-USD", 1250, "USD"),    # month 2024-01 (programme start): no Jan, no earlier -> Feb 1.25 -> 1000
            line("L-XOF", 655957, "XOF"),  # built-in 655.957 -> 1000
            line("L-CHF", 400, "CHF"),     # month 2024-01 -> earliest later = Mar 0.8 -> 500
            spend("E1", "L-USD", dt.date(2024, 1, 15), 100, "USD"),  # Jan -> later Feb: 100 / 1.25 = 80
            spend("E2", "L-USD", dt.date(2024, 2, 10), 250, "USD"),  # same month Feb: 250 / 1.25 = 200
            spend("E3", "L-USD", dt.date(2024, 3, 5), 125, "USD"),   # Mar -> latest EARLIER Feb (not Apr): 100
            spend("E4", "L-USD", dt.date(2024, 4, 2), 200, "USD"),   # same month Apr: 200 / 2 = 100
            spend("E5", "L-CHF", dt.date(2024, 4, 5), 40, "CHF"),    # Apr -> earlier Mar: 40 / 0.8 = 50
            spend("E6", "L-XOF", dt.date(2024, 2, 1), 65595.7, "XOF"),  # 65595.7 / 655.957 = 100
        ),
        # B = 1000 + 1000 + 500 = 2500; S = 80 + 200 + 100 + 100 + 50 + 100 = 630;
        # d = day 100: elapsed 1; execution = burn = 630 / 2500 = 0.252 -> underspend
        {"budget.budget": 2500.0, "budget.spent": 630.0, "budget.execution": 0.252, "budget.burn_index": 0.252,
         "budget.status": "underspend"},
        as_of=day(100),
    ),
    case(
        "fx_rate_month_of_grants_and_receipts",
        workbook(
            fx("USD", "2024-02", 1.25), fx("USD", "2024-04", 2.0),
            line("L1", 1000),
            funder("F1"),
            # signed_date (Mar) wins over start_date (Jan): Mar -> earlier Feb 1.25: 1000 / 1.25 = 800
            grant("G-SIGNED", "F1", "signed", 1000, "USD", signed=dt.date(2024, 3, 10), start=START),
            # no signed_date: start_date Apr -> 2.0: 400 / 2 = 200, x 0.25 (prospect default) = 50
            grant("G-START", "F1", "prospect", 400, "USD", start=dt.date(2024, 4, 1)),
            # no dates: programme start Jan -> later Feb 1.25: 500 / 1.25 = 400, x 0.5 (submitted) = 200
            grant("G-NONE", "F1", "submitted", 500, "USD"),
            receipt("G-SIGNED", dt.date(2024, 1, 20), 250, "USD"),  # Jan -> later Feb: 200
            receipt("G-SIGNED", dt.date(2024, 3, 20), 100, "USD"),  # Mar -> earlier Feb: 80
        ),
        # F = 800; coverage 800 / 1000 = 0.8; gap 200; R = 280; pipeline 50 + 200 = 250
        {"budget.funding_signed": 800.0, "budget.coverage": 0.8, "budget.gap": 200.0, "budget.received": 280.0,
         "funding.total_signed": 800.0, "funding.pipeline_weighted": 250.0, "funding.by_funder.F1": 1.0},
        as_of=day(100),
    ),
    # ---------------------------------------------------------------- budget
    case(
        "negative_expenditure_is_a_correction",
        _one_line_spent((300, 10), (-50, 20), (400, 60)),
        # d = day 50: S = 300 - 50 = 250 (day 60 is after d); execution 0.25; burn 0.25 / 0.5 = 0.5
        # < 0.80 and elapsed 0.5 >= 0.25 -> underspend; eac 250 / 0.5 = 500; vac 1000 - 500 = 500
        {"budget.spent": 250.0, "budget.execution": 0.25, "budget.burn_index": 0.5, "budget.eac": 500.0,
         "budget.vac": 500.0, "budget.status": "underspend", "budget.overspent_lines": []},
        as_of=day(50),
    ),
    case(
        "overspent_lines_are_sorted_and_dated",
        workbook(
            line("L2", 100), line("L1", 100), line("L3", 100),
            spend("E1", "L2", day(10), 150),  # L2: 150 > 100
            spend("E2", "L1", day(10), 120),  # L1: 120 > 100
            spend("E3", "L3", day(10), 90),   # L3: 90 <= 100 ...
            spend("E4", "L3", day(70), 50),   # ... the 50 of day 70 is after d
        ),
        # B = 300; S = 150 + 120 + 90 = 360 > 300 -> over_budget (burn 2.4 would be overspend);
        # eac 360 / 0.5 = 720; vac 300 - 720 = -420; lines sorted by code: L1, L2
        {"budget.overspent_lines": ["L1", "L2"], "budget.spent": 360.0, "budget.burn_index": 2.4,
         "budget.eac": 720.0, "budget.vac": -420.0, "budget.status": "over_budget"},
        as_of=day(50),
    ),
    case(
        "budget_status_overspend",
        _one_line_spent((600, 10)),
        # elapsed 0.5; execution 0.6; burn 1.2 > 1.10 -> overspend; eac 1200; vac -200
        {"budget.execution": 0.6, "budget.burn_index": 1.2, "budget.status": "overspend",
         "budget.eac": 1200.0, "budget.vac": -200.0},
        as_of=day(50),
    ),
    case(
        "budget_status_over_budget_at_a_slow_pace",
        workbook(line("L-SEN", 100, country="SEN"), line("L-MLI", 100, country="MLI"),
                 spend("E1", "L-SEN", day(40), 101), spend("E2", "L-MLI", day(40), 95)),
        # d = day 100: elapsed 1.0. SEN: B 100, S 101: execution 1.01, burn 1.01 (<= 1.10, no
        # overspend) but S > B -> over_budget. MLI: B 100, S 95, burn 0.95 -> on_track.
        # Programme: B 200, S 196, burn 0.98 -> on_track (its own S <= B); overspent line L-SEN.
        {"countries.SEN.burn_index": 1.01, "countries.SEN.status": "over_budget",
         "countries.MLI.burn_index": 0.95, "countries.MLI.status": "on_track",
         "budget.spent": 196.0, "budget.burn_index": 0.98, "budget.status": "on_track",
         "budget.overspent_lines": ["L-SEN"]},
        as_of=day(100),
    ),
    case(
        "budget_status_over_budget_early_in_the_programme",
        workbook(line("L1", 100), spend("E1", "L1", day(5), 101)),
        # d = day 10: elapsed 0.1; S 101 > B 100 -> over_budget (burn 1.01 / 0.1 = 10.1 would be
        # overspend); eac 1010, vac -910
        {"budget.elapsed": 0.1, "budget.burn_index": 10.1, "budget.status": "over_budget",
         "budget.eac": 1010.0, "budget.vac": -910.0, "budget.overspent_lines": ["L1"]},
        as_of=day(10),
    ),
    case(
        "budget_status_over_budget_before_the_start",
        workbook(line("L1", 100), spend("E1", "L1", dt.date(2023, 12, 1), 150)),
        # d = 2023-12-15 < start: elapsed 0, burn null (no band fires) but S 150 > B 100 -> over_budget
        {"budget.elapsed": 0.0, "budget.burn_index": None, "budget.status": "over_budget"},
        as_of=dt.date(2023, 12, 15),
    ),
    case(
        "budget_status_on_track_just_under_overspend",
        _one_line_spent((540, 10)),
        # elapsed 0.5; execution 0.54; burn 1.08 (0.80 <= 1.08 <= 1.10) -> on_track; eac 1080; vac -80
        {"budget.burn_index": 1.08, "budget.status": "on_track", "budget.eac": 1080.0, "budget.vac": -80.0},
        as_of=day(50),
    ),
    case(
        "budget_status_underspend",
        _one_line_spent((300, 10)),
        # elapsed 0.5; execution 0.3; burn 0.6 < 0.80, elapsed >= 0.25 -> underspend; eac 600; vac 400
        {"budget.burn_index": 0.6, "budget.status": "underspend", "budget.eac": 600.0, "budget.vac": 400.0},
        as_of=day(50),
    ),
    case(
        "underspend_needs_a_quarter_of_the_time_elapsed",
        _one_line_spent((50, 5)),
        # d = day 10: elapsed 0.1 < 0.25; execution 0.05; burn 0.5 -> no rule fires -> on_track
        {"budget.elapsed": 0.1, "budget.burn_index": 0.5, "budget.status": "on_track"},
        as_of=day(10),
    ),
    case(
        "underspend_at_exactly_a_quarter_elapsed",
        _one_line_spent((100, 5)),
        # d = day 25: elapsed 0.25 (>= 0.25); execution 0.1; burn 0.4 < 0.80 -> underspend
        {"budget.elapsed": 0.25, "budget.burn_index": 0.4, "budget.status": "underspend"},
        as_of=day(25),
    ),
    case(
        "budget_without_lines_is_no_data",
        workbook(
            funder("F1"), grant("G1", "F1", "signed", 100, signed=day(5)),
            organisation("O1"), session("S1", "A1", day(10), "SEN"), attend("S1", "k1", "O1"),
        ),
        # B = 0 -> no_data; execution, burn_index, coverage null (denominator 0);
        # eac = S / elapsed = 0 / 0.5 = 0; vac = 0 - 0 = 0; gap = max(0, 0 - 100) = 0.
        # SEN is listed (it has a session) with its own budget 0 -> no_data.
        {"budget.budget": 0.0, "budget.status": "no_data", "budget.execution": None, "budget.burn_index": None,
         "budget.eac": 0.0, "budget.vac": 0.0, "budget.coverage": None, "budget.gap": 0.0,
         "countries.SEN.budget": 0.0, "countries.SEN.spent": 0.0, "countries.SEN.execution": None,
         "countries.SEN.burn_index": None, "countries.SEN.status": "no_data", "countries.SEN.participants": 1,
         "countries.SEN.progress": None, "countries.SEN.statuses": {}},
        as_of=day(50),
    ),
    case(
        "funding_coverage_receipts_and_cash_exposure",
        workbook(
            programme("Q"),
            line("L1", 1000), spend("E1", "L1", day(10), 400),
            funder("AFD", "public_bilateral"), funder("PART", "partner_cofinancing"), funder("EF"),
            grant("G1", "AFD", "signed", 600, signed=day(5)),
            grant("G2", "PART", "signed", 200, signed=day(15), in_kind=True),  # in kind: included
            grant("G3", "EF", "signed", 300, signed=day(60)),                 # signed after d: out
            grant("G4", "EF", "rejected", 500),                                # rejected: out
            grant("GQ", "AFD", "signed", 1000, signed=day(1), prog="Q"),      # other programme: out
            receipt("G1", day(10), 100),
            receipt("G1", day(55), 150),  # after d
            receipt("G4", day(31), 50),   # a rejected grant's receipt still counts
            receipt("GQ", day(20), 999),  # other programme
        ),
        # F = 600 + 200 = 800; coverage 0.8; gap 200; R = 100 + 50 = 150; S = 400;
        # cash_exposure = max(0, 400 - 150) = 250.
        # Shares: AFD 600/800 = 0.75, PART 0.25 -> hhi 0.5625 + 0.0625 = 0.625 -> concentrated,
        # effective 1 / 0.625 = 1.6
        {"budget.funding_signed": 800.0, "budget.coverage": 0.8, "budget.gap": 200.0, "budget.received": 150.0,
         "budget.cash_exposure": 250.0, "funding.total_signed": 800.0, "funding.by_funder.AFD": 0.75,
         "funding.by_funder.PART": 0.25, "funding.by_funder[]": ["AFD", "PART"], "funding.hhi": 0.625,
         "funding.effective_funders": 1.6, "funding.band": "concentrated",
         "funding.by_type.partner_cofinancing": 0.25, "funding.pipeline_weighted": 0.0},
        as_of=day(50),
    ),
    case(
        "cash_exposure_is_never_negative",
        workbook(
            line("L1", 1000), spend("E1", "L1", day(10), 100),
            funder("F1"), grant("G1", "F1", "signed", 1000, signed=day(1)), receipt("G1", day(2), 300),
        ),
        # S - R = 100 - 300 < 0 -> 0
        {"budget.received": 300.0, "budget.cash_exposure": 0.0},
        as_of=day(50),
    ),
    # ---------------------------------------------------------------- funding diversification
    case(
        "funding_concentrated",
        workbook(
            funder("AFD", "public_bilateral"), funder("EF"), funder("FAP"),
            grant("G1", "AFD", "signed", 600, signed=day(1)),
            grant("G2", "EF", "signed", 300, signed=day(1)),
            grant("G3", "FAP", "signed", 65595.7, "XOF", signed=day(1)),  # 100 EUR
        ),
        # A = 1000; shares 0.6, 0.3, 0.1; hhi 0.36 + 0.09 + 0.01 = 0.46 > 0.25 -> concentrated;
        # effective 1 / 0.46; top AFD 0.6; top3 = 1.0; by type: public_bilateral 0.6, foundation 0.4
        {"funding.total_signed": 1000.0, "funding.hhi": 0.46, "funding.effective_funders": 1 / 0.46,
         "funding.band": "concentrated", "funding.top_funder": "AFD", "funding.top_share": 0.6,
         "funding.top3_share": 1.0, "funding.by_funder.FAP": 0.1, "funding.by_type.public_bilateral": 0.6,
         "funding.by_type.foundation": 0.4},
        as_of=day(50),
    ),
    case(
        "funding_diversified_with_a_tie_for_top",
        workbook(
            funder("ZED", "corporate"), funder("ABC"),
            *(funder(f"F{i}") for i in range(1, 9)),
            grant("GZ", "ZED", "signed", 150, signed=day(1)),  # listed first, but ABC < ZED
            grant("GA", "ABC", "signed", 150, signed=day(1)),
            *(grant(f"G{i}", f"F{i}", "signed", 87.5, signed=day(1)) for i in range(1, 9)),
        ),
        # A = 150 + 150 + 8 x 87.5 = 1000; shares 0.15, 0.15, 8 x 0.0875;
        # hhi = 2 x 0.0225 + 8 x 0.00765625 = 0.045 + 0.06125 = 0.10625 < 0.15 -> diversified;
        # effective 1 / 0.10625 = 9.41176...; tie 0.15 / 0.15 -> smallest code ABC;
        # top3 = 0.15 + 0.15 + 0.0875 = 0.3875; corporate 0.15, foundation 0.85
        {"funding.hhi": 0.10625, "funding.effective_funders": 1 / 0.10625, "funding.band": "diversified",
         "funding.top_funder": "ABC", "funding.top_share": 0.15, "funding.top3_share": 0.3875,
         "funding.by_type.corporate": 0.15, "funding.by_type.foundation": 0.85},
        as_of=day(50),
    ),
    case(
        "funding_moderate_at_the_upper_boundary",
        workbook(
            *(funder(code) for code in "DCBA"),
            *(grant(f"G{code}", code, "signed", 250, signed=day(1)) for code in "DCBA"),
        ),
        # four equal shares 0.25 (exact in binary): hhi = 4 x 0.0625 = 0.25 -> moderate (<= 0.25);
        # effective 4; four-way tie -> A; top3 = 0.75
        {"funding.hhi": 0.25, "funding.band": "moderate", "funding.effective_funders": 4.0,
         "funding.top_funder": "A", "funding.top_share": 0.25, "funding.top3_share": 0.75},
        as_of=day(50),
    ),
    case(
        "funding_without_signed_grants_is_null",
        workbook(
            funder("F1"),
            grant("G1", "F1", "prospect", 1000),                  # pipeline: 1000 x 0.25
            grant("G2", "F1", "signed", 500, signed=day(70)),    # signed after d
        ),
        {"funding.total_signed": 0.0, "funding.hhi": None, "funding.effective_funders": None,
         "funding.band": None, "funding.top_funder": None, "funding.top_share": None,
         "funding.top3_share": None, "funding.by_funder": {}, "funding.by_type": {},
         "funding.pipeline_weighted": 250.0},
        as_of=day(50),
    ),
    case(
        "pipeline_weighted_applies_probabilities",
        workbook(
            funder("F1"),
            grant("P1", "F1", "prospect", 1000),                        # default 0.25 -> 250
            grant("P2", "F1", "submitted", 500, probability=0.8),      # explicit 0.8 -> 400
            grant("P3", "F1", "submitted", 200),                        # default 0.5 -> 100
            grant("P4", "F1", "prospect", 655957, "XOF", probability=0.1),  # 1000 EUR x 0.1 -> 100
            grant("P5", "F1", "prospect", 400, start=day(90)),          # future money still counts: 100
            grant("S1", "F1", "signed", 300, signed=day(10)),           # not pipeline
            grant("R1", "F1", "rejected", 900, probability=0.9),       # not pipeline
        ),
        # 250 + 400 + 100 + 100 + 100 = 950
        {"funding.pipeline_weighted": 950.0, "funding.total_signed": 300.0},
        as_of=day(50),
    ),
    # ---------------------------------------------------------------- training reach
    case(
        "training_reach_figures",
        workbook(*_training_items()),
        # d = day 50: sessions S1, S2 (S3 starts day 60; SQ belongs to Q) -> 2
        # attendance rows: 3 + 4 = 7; participants p1 p2 p3 p4 p6 = 5
        # organisations (non-blank): O1, O2 = 2; participant hours 3 x 3 + 4 x 2 = 17
        # sex: p1 F (F in S1, blank in S2), p2 M, p3 X (blank in S1, X in S2), p4 M (from Q's
        # session), p6 unknown -> women 1 / 4 (F, M, X, M) = 0.25, unknown 1 / 5 = 0.2
        # repeat participants (>= 2 rows in S1, S2): p1, p3 = 2
        # per country: SEN (S1) p1 p2 p3 = 3; MLI (S2) p1 p3 p4 p6 = 4
        {"training.sessions": 2, "training.attendances": 7, "training.participants": 5,
         "training.organisations": 2, "training.participant_hours": 17.0, "training.women_share": 0.25,
         "training.unknown_sex_share": 0.2, "training.repeat_participants": 2,
         "countries.SEN.participants": 3, "countries.MLI.participants": 4},
        as_of=day(50),
    ),
    case(
        "training_counts_regional_sessions_without_filter",
        workbook(*_filter_items()),
        # as above plus S4 (regional, 5 h, p2): sessions 3; rows 8; participants still 5;
        # hours 17 + 5 = 22; repeat: p1, p3, p2 (S1 + S4) = 3
        {"training.sessions": 3, "training.attendances": 8, "training.participants": 5,
         "training.participant_hours": 22.0, "training.repeat_participants": 3},
        as_of=day(50),
    ),
    case(
        "country_filter_restricts_budget_and_sessions",
        workbook(*_filter_items()),
        # budget: SEN line only: B 1000, S 200, execution 0.2, burn 0.4 -> underspend,
        # eac 400, vac 600, overspent none.
        # Programme-level figures: F = 1500, coverage 1500 / 2000 = 0.75, gap 500, R = 250,
        # cash_exposure = max(0, 600 - 250) = 350.
        # training: S1 only (S4 is regional, S2 is MLI): 1 session, 3 rows, p1 p2 p3,
        # 1 organisation (O1), 9 hours, women F/(F, M, X) = 1/3, unknown 0, no repeat.
        {"budget.budget": 1000.0, "budget.spent": 200.0, "budget.execution": 0.2, "budget.burn_index": 0.4,
         "budget.status": "underspend", "budget.eac": 400.0, "budget.vac": 600.0,
         "budget.funding_signed": 1500.0, "budget.coverage": 0.75, "budget.gap": 500.0,
         "budget.received": 250.0, "budget.cash_exposure": 350.0, "budget.overspent_lines": [],
         "funding.total_signed": 1500.0,
         "training.sessions": 1, "training.attendances": 3, "training.participants": 3,
         "training.organisations": 1, "training.participant_hours": 9.0, "training.women_share": 1 / 3,
         "training.unknown_sex_share": 0.0, "training.repeat_participants": 0,
         # the countries section gives each country's own budget figures
         "countries.SEN.budget": 1000.0, "countries.SEN.spent": 200.0, "countries.SEN.execution": 0.2,
         "countries.SEN.burn_index": 0.4, "countries.SEN.status": "underspend",
         "countries.MLI.budget": 500.0, "countries.MLI.spent": 100.0, "countries.MLI.status": "underspend"},
        as_of=day(50), countries=["SEN"],
    ),
    case(
        "interpretation_country_filter_leaves_countries_section_alone",
        workbook(*_filter_items()),
        # INTERPRETATION: METRICS.md restricts only the budget and training sections to the
        # filter; the countries section still lists MLI (and gives its participants).
        {"countries[]": ["MLI", "SEN"], "countries.MLI.participants": 4},
        as_of=day(50), countries=["SEN"],
    ),
    case(
        "training_without_sessions",
        workbook(line("L1", 100)),
        {"training.sessions": 0, "training.attendances": 0, "training.participants": 0,
         "training.organisations": 0, "training.participant_hours": 0.0, "training.women_share": None,
         "training.unknown_sex_share": None, "training.repeat_participants": 0},
        as_of=day(50),
    ),
    case(
        "sex_recorded_after_the_as_of_date_does_not_count",
        workbook(
            *PROGRAMME_Q,
            session("S1", "A1", day(10)), session("S2", "A1", day(70)),
            session("SQ", "AQ", day(20), prog="Q"), session("SQ2", "AQ", day(80), prog="Q"),
            attend("S1", "k1"), attend("S1", "k2"), attend("S1", "k3", sex="M"), attend("S1", "k4"),
            attend("S2", "k1", sex="F"),    # day 70 > d: k1's sex is not known as of day 50
            attend("SQ", "k2", sex="F"),    # programme Q, day 20 <= d: k2 is F
            attend("SQ2", "k4", sex="F"),   # programme Q, day 80 > d: k4 stays unknown
        ),
        # d = day 50: participants k1..k4 (S1). Known sexes as of d: k2 F (Q's SQ, day 20), k3 M.
        # women 1 / 2 = 0.5; unknown k1, k4 -> 2 / 4 = 0.5. (Counting every row whatever its date
        # would give k1 F, k4 F: women 3 / 4, unknown 0.)
        {"training.participants": 4, "training.women_share": 0.5, "training.unknown_sex_share": 0.5},
        as_of=day(50),
    ),
    case(
        "women_share_is_null_when_no_sex_is_known",
        workbook(session("S1", "A1", day(10)), attend("S1", "k1"), attend("S1", "k2")),
        # 2 participants, both blank: women share null (none known), unknown 2 / 2 = 1
        {"training.participants": 2, "training.women_share": None, "training.unknown_sex_share": 1.0},
        as_of=day(50),
    ),
    # ---------------------------------------------------------------- logframe progress
    case(
        "sum_indicator_with_intermediate_milestone",
        workbook(
            indicator("I1", baseline=10),  # direction / aggregation blank: increase / sum
            target("I1", day(50), 30, "SEN"), target("I1", day(100), 60, "SEN"),
            measurement("I1", day(30), 8, "SEN"), measurement("I1", day(59), 15, "SEN"),
            measurement("I1", day(90), 100, "SEN"),  # after d
        ),
        # d = day 60: E = 30 + (60 - 30) x (60 - 50) / (100 - 50) = 36; A = 10 + 8 + 15 = 33;
        # achievement (33 - 10) / (60 - 10) = 0.46; pace 23 / 26 = 0.8846 -> on_track.
        # Roll-up over SEN alone: b 10 x 1, same figures. Progress 0.46 (country and programme).
        {"indicators[]": ["I1:*rollup", "I1:SEN"],
         "indicators[I1:SEN].baseline": 10.0, "indicators[I1:SEN].target": 60.0,
         "indicators[I1:SEN].expected": 36.0, "indicators[I1:SEN].actual": 33.0,
         "indicators[I1:SEN].achievement": 0.46, "indicators[I1:SEN].pace": 23 / 26,
         "indicators[I1:SEN].status": "on_track", "indicators[I1:SEN].rollup": False,
         "indicators[I1:*rollup].country": None, "indicators[I1:*rollup].baseline": 10.0,
         "indicators[I1:*rollup].actual": 33.0, "indicators[I1:*rollup].status": "on_track",
         "countries.SEN.progress": 0.46, "countries.SEN.statuses": {"on_track": 1}, "progress": 0.46},
        as_of=day(60),
    ),
    case(
        "latest_indicator_takes_last_value_without_baseline",
        workbook(
            indicator("I2", aggregation="latest", baseline=50),
            target("I2", day(100), 100, "SEN"),
            measurement("I2", day(30), 70, "SEN"), measurement("I2", day(45), 60, "SEN"),
            measurement("I2", day(70), 90, "SEN"),  # after d
        ),
        # A = 60 (latest period_end <= day 50; baseline not added); E = 50 + 50 x 0.5 = 75;
        # achievement (60 - 50) / 50 = 0.2; pace 10 / 25 = 0.4 -> behind
        {"indicators[I2:SEN].actual": 60.0, "indicators[I2:SEN].expected": 75.0,
         "indicators[I2:SEN].achievement": 0.2, "indicators[I2:SEN].pace": 0.4,
         "indicators[I2:SEN].status": "behind", "countries.SEN.statuses": {"behind": 1}},
        as_of=day(50),
    ),
    case(
        "decrease_indicator",
        workbook(
            indicator("I3", unit="other", direction="decrease", aggregation="latest", baseline=60),
            target("I3", day(100), 30, "SEN"),
            measurement("I3", day(45), 40, "SEN"),
        ),
        # E = 60 + (30 - 60) x 0.5 = 45; A = 40; achievement (60 - 40) / (60 - 30) = 2/3;
        # pace (60 - 40) / (60 - 45) = 4/3 > 1.15 -> ahead
        {"indicators[I3:SEN].expected": 45.0, "indicators[I3:SEN].actual": 40.0,
         "indicators[I3:SEN].achievement": 2 / 3, "indicators[I3:SEN].pace": 4 / 3,
         "indicators[I3:SEN].status": "ahead", "countries.SEN.progress": 2 / 3},
        as_of=day(50),
    ),
    case(
        "non_reporting_rows",
        workbook(
            indicator("I1"),
            target("I1", day(100), 100, "SEN"), target("I1", day(100), 50, "MLI"),
            measurement("I1", day(40), 30, "SEN"),
            measurement("I1", day(40), 5, "CIV"),  # a measurement but no target
        ),
        # SEN: E 50, A 30, achievement 0.3, pace 0.6 -> behind.
        # MLI: target but no measurement -> non_reporting with b 0, T 50, E 25; A, ach, pace null.
        # CIV: measurement but no target -> non_reporting with T and E null.
        # Roll-up over SEN only: 0 / 100 / 50 / 30 -> behind, 0.3. Progress 0.3.
        {"indicators[]": ["I1:*rollup", "I1:CIV", "I1:MLI", "I1:SEN"],
         "indicators[I1:MLI].status": "non_reporting", "indicators[I1:MLI].baseline": 0.0,
         "indicators[I1:MLI].target": 50.0, "indicators[I1:MLI].expected": 25.0,
         "indicators[I1:MLI].actual": None, "indicators[I1:MLI].achievement": None,
         "indicators[I1:MLI].pace": None,
         "indicators[I1:CIV].status": "non_reporting", "indicators[I1:CIV].target": None,
         "indicators[I1:CIV].expected": None, "indicators[I1:CIV].actual": None,
         "indicators[I1:SEN].status": "behind", "indicators[I1:SEN].pace": 0.6,
         "indicators[I1:*rollup].target": 100.0, "indicators[I1:*rollup].expected": 50.0,
         "indicators[I1:*rollup].actual": 30.0, "indicators[I1:*rollup].status": "behind",
         "progress": 0.3, "countries.MLI.progress": None, "countries.MLI.statuses": {"non_reporting": 1},
         "countries.CIV.statuses": {"non_reporting": 1}, "countries.CIV.status": "no_data"},
        as_of=day(50),
    ),
    case(
        "not_due_while_expected_equals_baseline",
        workbook(
            indicator("I1"),
            target("I1", day(50), 0, "SEN"), target("I1", day(100), 50, "SEN"),  # first milestone = b
            measurement("I1", day(20), 5, "SEN"),
        ),
        # d = day 31: between (start, 0) and (day 50, 0): E = 0 = b -> not_due, pace null;
        # achievement still 5 / 50 = 0.1 but not_due rows stay out of progress.
        # Roll-up: SEN reports (not_due is not non_reporting): E 0 = b 0 -> not_due.
        {"indicators[I1:SEN].expected": 0.0, "indicators[I1:SEN].actual": 5.0,
         "indicators[I1:SEN].achievement": 0.1, "indicators[I1:SEN].pace": None,
         "indicators[I1:SEN].status": "not_due", "indicators[I1:*rollup].status": "not_due",
         "countries.SEN.progress": None, "countries.SEN.statuses": {"not_due": 1}, "progress": None},
        as_of=day(31),
    ),
    case(
        "not_due_on_the_start_date",
        workbook(
            indicator("I1"), target("I1", day(100), 100, "SEN"),
            measurement("I1", dt.date(2023, 12, 31), 4, "SEN"),
        ),
        # d = start: E = b = 0 -> not_due (A = 4 is known, achievement 0.04)
        {"indicators[I1:SEN].expected": 0.0, "indicators[I1:SEN].actual": 4.0,
         "indicators[I1:SEN].achievement": 0.04, "indicators[I1:SEN].status": "not_due"},
        as_of=START,
    ),
    case(
        "interpretation_milestone_before_start_is_reached_at_its_own_date",
        workbook(
            indicator("I1"),
            target("I1", dt.date(2023, 12, 15), 10, "SEN"), target("I1", day(100), 110, "SEN"),
            measurement("I1", day(40), 60, "SEN"),
        ),
        # The Dec 15 milestone is reached at its own date; INTERPRETATION: the next segment runs
        # from (2023-12-15, 10) to (day 100, 110), i.e. over 17 + 100 = 117 days, and d = day 50
        # is 67 days into it: E = 10 + 100 x 67 / 117 = 7870 / 117 = 67.2650;
        # A = 60; achievement 60 / 110; pace 60 x 117 / 7870 = 0.8920 -> on_track
        {"indicators[I1:SEN].expected": 7870 / 117, "indicators[I1:SEN].achievement": 60 / 110,
         "indicators[I1:SEN].pace": 7020 / 7870, "indicators[I1:SEN].status": "on_track"},
        as_of=day(50),
    ),
    case(
        "expected_is_baseline_on_start_even_after_an_early_milestone",
        workbook(
            indicator("I1", baseline=2),
            target("I1", dt.date(2023, 12, 15), 10, "SEN"), target("I1", day(100), 110, "SEN"),
        ),
        # "for d <= start, E = b": E = 2 on the start date; no measurement -> non_reporting
        {"indicators[I1:SEN].expected": 2.0, "indicators[I1:SEN].target": 110.0,
         "indicators[I1:SEN].status": "non_reporting"},
        as_of=START,
    ),
    case(
        "percent_rollup_uses_means",
        workbook(
            indicator("I2", unit="percent", aggregation="latest", baseline=20),
            target("I2", day(100), 60, "SEN"), target("I2", day(100), 40, "MLI"), target("I2", day(100), 80, "CIV"),
            measurement("I2", day(31), 44, "SEN"), measurement("I2", day(41), 26, "MLI"),
        ),
        # SEN: E 20 + 40 x 0.5 = 40, A 44: achievement 24 / 40 = 0.6, pace 24 / 20 = 1.2 -> ahead
        # MLI: E 20 + 20 x 0.5 = 30, A 26: achievement 6 / 20 = 0.3, pace 6 / 10 = 0.6 -> behind
        # CIV: no measurement -> non_reporting (T 80, E 50), left out of the roll-up.
        # Roll-up over SEN, MLI (means): b 20, T 50, E 35, A 35: achievement 15 / 30 = 0.5,
        # pace 15 / 15 = 1 -> on_track. Programme progress 0.5 (roll-up row only).
        {"indicators[I2:SEN].status": "ahead", "indicators[I2:SEN].pace": 1.2,
         "indicators[I2:MLI].status": "behind", "indicators[I2:MLI].achievement": 0.3,
         "indicators[I2:CIV].status": "non_reporting", "indicators[I2:CIV].expected": 50.0,
         "indicators[I2:*rollup].baseline": 20.0, "indicators[I2:*rollup].target": 50.0,
         "indicators[I2:*rollup].expected": 35.0, "indicators[I2:*rollup].actual": 35.0,
         "indicators[I2:*rollup].achievement": 0.5, "indicators[I2:*rollup].pace": 1.0,
         "indicators[I2:*rollup].status": "on_track", "progress": 0.5,
         "countries.SEN.progress": 0.6, "countries.MLI.progress": 0.3, "countries.CIV.progress": None},
        as_of=day(50),
    ),
    case(
        "sum_rollup_adds_countries_and_baselines",
        workbook(
            indicator("I1", baseline=5),
            target("I1", day(100), 105, "SEN"), target("I1", day(100), 55, "MLI"),
            measurement("I1", day(31), 40, "SEN"),
            measurement("I1", day(15), 5, "MLI"), measurement("I1", day(31), 10, "MLI"),
        ),
        # SEN: E 5 + 100 x 0.5 = 55, A 5 + 40 = 45: achievement 0.4, pace 40 / 50 = 0.8 -> behind
        # MLI: E 5 + 50 x 0.5 = 30, A 5 + 15 = 20: achievement 0.3, pace 15 / 25 = 0.6 -> behind
        # Roll-up: b 5 x 2 = 10, T 160, E 85, A 65: achievement 55 / 150, pace 55 / 75 -> behind
        {"indicators[I1:SEN].actual": 45.0, "indicators[I1:SEN].pace": 0.8,
         "indicators[I1:MLI].actual": 20.0, "indicators[I1:MLI].pace": 0.6,
         "indicators[I1:*rollup].baseline": 10.0, "indicators[I1:*rollup].target": 160.0,
         "indicators[I1:*rollup].expected": 85.0, "indicators[I1:*rollup].actual": 65.0,
         "indicators[I1:*rollup].achievement": 55 / 150, "indicators[I1:*rollup].pace": 55 / 75,
         "indicators[I1:*rollup].status": "behind", "progress": 55 / 150,
         "countries.SEN.progress": 0.4, "countries.MLI.progress": 0.3},
        as_of=day(50),
    ),
    case(
        "rollup_of_non_reporting_countries",
        workbook(
            indicator("I1", baseline=2),
            target("I1", day(100), 100, "SEN"), target("I1", day(100), 50, "MLI"),
        ),
        # no measurement: both rows non_reporting (E SEN 2 + 98 x 0.5 = 51, MLI 2 + 48 x 0.5 = 26).
        # Roll-up non_reporting over the countries with a target: b 2 x 2 = 4, T 150, E 77.
        {"indicators[I1:SEN].expected": 51.0, "indicators[I1:MLI].expected": 26.0,
         "indicators[I1:*rollup].status": "non_reporting", "indicators[I1:*rollup].baseline": 4.0,
         "indicators[I1:*rollup].target": 150.0, "indicators[I1:*rollup].expected": 77.0,
         "indicators[I1:*rollup].actual": None, "indicators[I1:*rollup].achievement": None,
         "indicators[I1:*rollup].pace": None, "progress": None},
        as_of=day(50),
    ),
    case(
        "regional_rows_and_row_order",
        workbook(
            indicator("I5"), indicator("I4", logframe="G"),  # listed out of order on purpose
            target("I4", day(100), 20), measurement("I4", day(31), 8),  # regional only
            target("I5", day(100), 40), measurement("I5", day(31), 30),  # regional ...
            target("I5", day(100), 10, "SEN"), measurement("I5", day(31), 5, "SEN"),  # ... and countries
            target("I5", day(100), 10, "MLI"), measurement("I5", day(31), 5, "MLI"),
        ),
        # I4 regional: E 10, A 8: achievement 0.4, pace 0.8 -> behind; no roll-up (no country target)
        # I5 regional: E 20, A 30: achievement 0.75, pace 1.5 -> ahead (its own row, not rolled up)
        # I5 SEN and MLI: E 5, A 5: achievement 0.5, pace 1 -> on_track;
        # I5 roll-up: b 0, T 20, E 10, A 10: achievement 0.5, pace 1 -> on_track
        # programme progress = mean(I4 regional 0.4, I5 roll-up 0.5, I5 regional 0.75) = 0.55
        {"indicators[]": ["I4:-", "I5:*rollup", "I5:-", "I5:MLI", "I5:SEN"],
         "indicators[I4:*rollup]": ABSENT,
         "indicators[I4:-].country": None, "indicators[I4:-].rollup": False,
         "indicators[I4:-].status": "behind", "indicators[I4:-].achievement": 0.4,
         "indicators[I5:-].status": "ahead", "indicators[I5:-].pace": 1.5,
         "indicators[I5:*rollup].target": 20.0, "indicators[I5:*rollup].actual": 10.0,
         "indicators[I5:*rollup].status": "on_track", "progress": 0.55, "countries.SEN.progress": 0.5},
        as_of=day(50),
    ),
    case(
        "computed_indicators_count_sessions_below_their_node",
        workbook(
            indicator("C1", logframe="R1", computed_from="sessions"),
            target("C1", day(100), 10, "SEN"), target("C1", day(100), 4, "MLI"),
            target("C1", day(100), 6, "CIV"), target("C1", day(100), 20),
            indicator("C2", logframe="OS1", computed_from="participants", baseline=1),
            target("C2", day(100), 10, "SEN"),
            indicator("C3", logframe="A2", computed_from="organisations"),
            target("C3", day(100), 2, "SEN"),
            *(organisation(f"O{i}") for i in range(1, 7)),
            session("T1", "A1", day(9), "SEN"), attend("T1", "k1", "O1"), attend("T1", "k2", "O2"),
            session("T2", "A2", day(31), "SEN"), attend("T2", "k1", "O1"), attend("T2", "k3", None),
            session("T3", "A2", day(35), "MLI"), attend("T3", "k4", "O3"),
            session("T4", "A3", day(31), "SEN"), attend("T4", "k5", "O4"),  # under R2, not R1
            session("T5", "A1", day(32), None), attend("T5", "k6", "O5"),   # regional session
            session("T6", "A1", day(60), "SEN"), attend("T6", "k7", "O6"),  # after d
            session("T7", "A1", day(19), "SEN"), attend("T7", "k2", "O2"),
        ),
        # R1 and below = {R1, A1, A2}; sessions started by day 50:
        # C1 SEN: T1 T2 T7 = 3; E 5 -> achievement 0.3, pace 0.6 -> behind
        # C1 MLI: T3 = 1; E 2 -> achievement 0.25, pace 0.5 -> behind
        # C1 CIV: no session -> A = 0 (a valid value, not non_reporting); E 3 -> pace 0 -> behind
        # C1 regional: every country and blank: T1 T2 T3 T5 T7 = 5; E 10 -> 0.25, 0.5 -> behind
        # C1 roll-up: T 20, E 10, A 4 -> achievement 0.2, pace 0.4 -> behind
        # C2 SEN: OS1 and below, SEN: T1 T2 T4 T7 -> k1 k2 k3 k5 = 4; A = 1 + 4 = 5;
        #         E 1 + 9 x 0.5 = 5.5 -> achievement 4 / 9, pace 4 / 4.5 = 0.889 -> on_track
        # C3 SEN (node A2 itself, no child): T2 -> non-blank organisations O1 = 1 (k3 has none);
        #         E 1 -> achievement 0.5, pace 1 -> on_track
        {"indicators[C1:SEN].actual": 3.0, "indicators[C1:SEN].status": "behind",
         "indicators[C1:MLI].actual": 1.0, "indicators[C1:MLI].pace": 0.5,
         "indicators[C1:CIV].actual": 0.0, "indicators[C1:CIV].pace": 0.0, "indicators[C1:CIV].status": "behind",
         "indicators[C1:-].actual": 5.0, "indicators[C1:-].achievement": 0.25,
         "indicators[C1:*rollup].actual": 4.0, "indicators[C1:*rollup].target": 20.0,
         "indicators[C1:*rollup].achievement": 0.2, "indicators[C1:*rollup].pace": 0.4,
         "indicators[C2:SEN].actual": 5.0, "indicators[C2:SEN].expected": 5.5,
         "indicators[C2:SEN].achievement": 4 / 9, "indicators[C2:SEN].status": "on_track",
         "indicators[C3:SEN].actual": 1.0, "indicators[C3:SEN].status": "on_track",
         "countries.CIV.statuses": {"behind": 1}, "countries.SEN.statuses": {"behind": 1, "on_track": 2}},
        as_of=day(50),
    ),
    case(
        "progress_clamps_achievement_and_skips_rows_without_one",
        workbook(
            indicator("X1"), target("X1", day(100), 10, "SEN"), measurement("X1", day(31), 15, "SEN"),
            indicator("X2", aggregation="latest", baseline=10),
            target("X2", day(100), 20, "SEN"), measurement("X2", day(31), 5, "SEN"),
            indicator("X3"), target("X3", day(40), 10, "SEN"), target("X3", day(100), 0, "SEN"),
            measurement("X3", day(31), 4, "SEN"),
        ),
        # X1: A 15, T 10: achievement 1.5 -> clamped to 1; E 5, pace 3 -> ahead
        # X2: A 5 below b 10: achievement (5 - 10) / (20 - 10) = -0.5 -> clamped to 0;
        #     E 15, pace -5 / 5 = -1 -> behind
        # X3: T = b = 0 -> achievement null (left out); E = 10 + (0 - 10) x 10 / 60 = 8.333;
        #     pace 4 / 8.333 = 0.48 -> behind
        # SEN progress = mean(1, 0) = 0.5; the roll-ups repeat the SEN rows -> programme 0.5
        {"indicators[X1:SEN].achievement": 1.5, "indicators[X1:SEN].status": "ahead",
         "indicators[X2:SEN].achievement": -0.5, "indicators[X2:SEN].pace": -1.0,
         "indicators[X3:SEN].achievement": None, "indicators[X3:SEN].expected": 25 / 3,
         "indicators[X3:SEN].pace": 0.48, "indicators[X3:SEN].status": "behind",
         "countries.SEN.progress": 0.5, "countries.SEN.statuses": {"ahead": 1, "behind": 2}, "progress": 0.5},
        as_of=day(50),
    ),
    # ---------------------------------------------------------------- countries section
    case(
        "countries_are_those_with_lines_sessions_targets_or_measurements",
        workbook(
            line("L-CIV", 100, country="CIV"), line("L-HQ", 100),  # regional line: not a country
            session("S1", "A1", day(10), "SEN"),
            indicator("I1"), target("I1", day(100), 10, "MLI"), measurement("I1", day(20), 3, "GIN"),
        ),
        # CIV (line), GIN (measurement), MLI (target), SEN (session); I1 rows: roll-up over MLI
        # (non_reporting: no measurement), GIN (no target), MLI.
        {"countries[]": ["CIV", "GIN", "MLI", "SEN"], "countries.CIV.budget": 100.0,
         "countries.CIV.status": "underspend", "countries.SEN.participants": 0,
         "indicators[]": ["I1:*rollup", "I1:GIN", "I1:MLI"],
         "indicators[I1:*rollup].status": "non_reporting", "indicators[I1:*rollup].target": 10.0},
        as_of=day(50),
    ),
    case(
        "interpretation_rows_dated_after_as_of_do_not_count",
        workbook(
            line("L-CIV", 100, country="CIV"),
            session("S1", "A1", day(80), "CMR"),                          # starts after d
            indicator("I1"), target("I1", day(100), 10, "SEN"),
            measurement("I1", day(70), 3, "TUN"),                         # dated after d
        ),
        # INTERPRETATION of "nothing dated after d counts anywhere": the session of day 80 does not
        # list CMR, and the measurement of day 70 creates no TUN row and does not list TUN.
        {"countries[]": ["CIV", "SEN"], "indicators[]": ["I1:*rollup", "I1:SEN"], "indicators[I1:TUN]": ABSENT},
        as_of=day(50),
    ),
]
