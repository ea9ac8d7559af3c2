"""Tests of the test oracle itself, and of the workbooks the engine is compared on.

- every hand-computed case of ``tests/cases.py`` holds for ``tests/oracle.py``;
- every case workbook and the unseen workbook honour docs/DATA_CONTRACT.md (so the engine tests
  can load them through the importer);
- the unseen workbook really exercises the corners it claims to, and keeps its figures clear of
  the status thresholds (so that float rounding cannot flip a status between engine and oracle);
- a few invariants that tie the oracle's sections together.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

try:  # collected as part of a ``tests`` package
    from . import cases, oracle
    from .fixtures.unseen import AS_OF_DATES, COLUMNS, OTHER, PROGRAMME, build_unseen
except ImportError:  # collected with ``tests/`` itself on sys.path (no __init__.py)
    import cases
    import oracle
    from fixtures.unseen import AS_OF_DATES, COLUMNS, OTHER, PROGRAMME, build_unseen

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "DATA_CONTRACT.md"
TODAY = dt.date(2026, 11, 23)  # a fixed "today" so that the unseen figures never move


def kpis_of(case: dict[str, Any]) -> dict[str, Any]:
    return oracle.compute_kpis(case["sheets"], case["programme"], as_of=case["as_of"],
                               countries=case["countries"], today=case["today"])


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def mismatches(kpis: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    """Every expected path whose value differs (numbers to within 1e-9)."""
    found = []
    for path, wanted in expect.items():
        try:
            got = cases.lookup(kpis, path)
        except KeyError:
            got = cases.ABSENT
        if is_number(wanted) and is_number(got):
            same = got == pytest.approx(wanted, abs=1e-9)
        else:  # strings, None, lists, dicts, booleans: exact (True must not pass for 1)
            same = type(got) is type(wanted) and got == wanted
        if not same:
            found.append(f"{path}: expected {wanted!r}, got {got!r}")
    return found


# --------------------------------------------------------------------------------------------
# The hand-computed cases
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", cases.CASES, ids=[c["id"] for c in cases.CASES])
def test_oracle_matches_the_hand_computed_case(case):
    assert mismatches(kpis_of(case), case["expect"]) == []


def test_case_ids_are_unique_and_every_case_expects_something():
    ids = [c["id"] for c in cases.CASES]
    assert len(ids) == len(set(ids))
    assert all(c["expect"] for c in cases.CASES)
    assert all(set(c) == {"id", "sheets", "programme", "as_of", "countries", "today", "expect"} for c in cases.CASES)


def test_lookup_resolves_rows_keys_and_nested_values():
    kpis = {
        "budget": {"spent": 1.5},
        "funding": {"by_funder": {"UE-FAMI": 0.5}},
        "countries": {"SEN": {"statuses": {"behind": 2}}, "MLI": {}},
        "indicators": [
            {"code": "R1.1", "country": None, "rollup": True},
            {"code": "R1.1", "country": None, "rollup": False, "actual": 3},
            {"code": "R1.1", "country": "SEN", "rollup": False, "status": "ahead"},
        ],
    }
    assert cases.lookup(kpis, "budget.spent") == 1.5
    assert cases.lookup(kpis, "funding.by_funder.UE-FAMI") == 0.5
    assert cases.lookup(kpis, "countries.SEN.statuses.behind") == 2
    assert cases.lookup(kpis, "countries[]") == ["SEN", "MLI"]
    assert cases.lookup(kpis, "indicators[]") == ["R1.1:*rollup", "R1.1:-", "R1.1:SEN"]
    assert cases.lookup(kpis, "indicators[R1.1:-].actual") == 3
    assert cases.lookup(kpis, "indicators[R1.1:SEN].status") == "ahead"
    assert cases.lookup(kpis, "indicators[R1.1:*rollup].rollup") is True
    for missing in ("budget.gap", "indicators[R1.1:MLI]", "countries.MLI.progress"):
        with pytest.raises(KeyError):
            cases.lookup(kpis, missing)


def test_mismatches_report_a_wrong_figure_and_a_wrong_type():
    kpis = {"budget": {"spent": 1.0, "status": "on_track", "coverage": None}}
    assert mismatches(kpis, {"budget.spent": 1.0 + 1e-12, "budget.coverage": None}) == []
    assert len(mismatches(kpis, {"budget.spent": 1.1, "budget.status": "overspend", "budget.gap": 0.0})) == 3


def test_as_of_defaults_to_the_real_today_when_the_programme_has_no_date():
    sheets = cases.workbook(cases.line("L1", 100))
    assert oracle.compute_kpis(sheets, "P")["as_of"] == dt.date.today().isoformat()


def test_an_unknown_programme_or_a_currency_without_rate_is_refused():
    with pytest.raises(ValueError):
        oracle.compute_kpis(cases.workbook(), "NOPE", as_of=cases.day(1))
    with pytest.raises(ValueError):
        oracle.compute_kpis(cases.workbook(cases.line("L1", 100, "GNF")), "P", as_of=cases.day(1))


def test_the_kpis_object_has_exactly_the_documented_keys():
    kpis = kpis_of(next(c for c in cases.CASES if c["id"] == "country_filter_restricts_budget_and_sessions"))
    assert set(kpis) == {"programme", "as_of", "currency", "budget", "funding", "training", "countries",
                         "indicators", "progress"}
    assert set(kpis["budget"]) == {"budget", "spent", "execution", "elapsed", "burn_index", "eac", "vac",
                                   "status", "funding_signed", "coverage", "gap", "received", "cash_exposure",
                                   "overspent_lines"}
    assert set(kpis["funding"]) == {"total_signed", "hhi", "effective_funders", "band", "top_funder",
                                    "top_share", "top3_share", "by_funder", "by_type", "pipeline_weighted"}
    assert set(kpis["training"]) == {"sessions", "attendances", "participants", "organisations",
                                     "participant_hours", "women_share", "unknown_sex_share",
                                     "repeat_participants"}
    for country in kpis["countries"].values():
        assert set(country) == {"budget", "spent", "execution", "burn_index", "status", "participants",
                                "progress", "statuses"}
    unseen = oracle.compute_kpis(build_unseen(), PROGRAMME, today=TODAY)
    for row in unseen["indicators"]:
        assert set(row) == {"code", "country", "rollup", "baseline", "target", "expected", "actual",
                            "achievement", "pace", "status"}


# --------------------------------------------------------------------------------------------
# The data contract, read from docs/DATA_CONTRACT.md
# --------------------------------------------------------------------------------------------

def contract_sheets() -> dict[str, dict[str, Any]]:
    """``{sheet: {"columns": [...], "optional": {...}, "key": [...]}}`` parsed from the document."""
    sheets: dict[str, dict[str, Any]] = {}
    current = None
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### (\w+)\s+\S+\s+key: (.+)$", line)
        if line.startswith("## "):  # a section after the sheets (e.g. "IATI 2.03") holds other tables
            current = None
        if heading:
            current = {"columns": [], "optional": set(), "key": [k.strip() for k in heading[2].split(",")]}
            sheets[heading[1]] = current
            continue
        if current is None or not line.startswith("| ") or line.startswith("| column") or line.startswith("|---"):
            continue
        cell = line.split("|")[1]
        for part in cell.split(","):
            name = part.replace("**(key)**", "").replace("*(opt)*", "").strip()
            current["columns"].append(name)
            if "*(opt)*" in cell:  # "start_date, end_date *(opt)*": both optional
                current["optional"].add(name)
    return sheets


CONTRACT_SHEETS = contract_sheets()
BUILTIN = set(oracle.BUILTIN_PER_EUR)
ENUMS = {
    ("logframe", "level"): {"goal", "objective", "result", "activity"},
    ("indicators", "unit"): {"count", "percent", "currency", "other"},
    ("indicators", "direction"): {None, "increase", "decrease"},
    ("indicators", "aggregation"): {None, "sum", "latest"},
    ("indicators", "computed_from"): {None, "sessions", "participants", "organisations"},
    ("funders", "type"): {"public_bilateral", "multilateral", "european_union", "local_authority", "foundation",
                          "private_donors", "corporate", "partner_cofinancing", "own_funds", "other"},
    ("grants", "status"): {"prospect", "submitted", "signed", "rejected"},
    ("grants", "in_kind"): {None, True, False},
    ("budget_lines", "category"): {"personnel", "activities", "travel", "equipment", "services", "overheads",
                                   "other"},
    ("organisations", "type"): {"local_association", "diaspora_association", "network", "ngo", "public_authority",
                                "local_authority", "international_organisation", "other"},
    ("sessions", "kind"): {"training", "field_visit", "exchange", "workshop", "webinar", "other"},
    ("attendance", "sex"): {None, "F", "M", "X"},
    ("attendance", "age_band"): {None, "<25", "25-34", "35-49", "50+"},
}
#: Not marked optional in the document but documented with a default.
HAS_DEFAULT = {("indicators", "direction"), ("indicators", "aggregation")}
DATE_COLUMNS = {"start_date", "end_date", "period_end", "signed_date", "date"}
NUMBER_COLUMNS = {"baseline", "target", "value", "amount", "probability", "per_eur", "hours", "latitude",
                  "longitude"}
LEVEL_RANK = {"goal": 0, "objective": 1, "result": 2, "activity": 3}


def contract_errors(sheets: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every rule of DATA_CONTRACT.md a workbook breaks (an empty list for a valid workbook)."""
    errors: list[str] = []

    def rows(name: str) -> list[dict[str, Any]]:
        return sheets.get(name) or []

    # Sheets, columns, types, enumerations, natural keys.
    for name, sheet_rows in sheets.items():
        if name not in CONTRACT_SHEETS:
            errors.append(f"unknown sheet {name}")
            continue
        spec = CONTRACT_SHEETS[name]
        seen_keys = Counter()
        for number, row in enumerate(sheet_rows, start=2):
            where = f"{name} row {number}"
            for column in set(row) - set(spec["columns"]):
                errors.append(f"{where}: unknown column {column}")
            for column in spec["columns"]:
                value = row.get(column)
                blank = oracle.is_blank(value)
                if blank and column not in spec["optional"] and (name, column) not in HAS_DEFAULT:
                    errors.append(f"{where}: {column} is required")
                if blank:
                    continue
                if (column == "code" or column.endswith("_code") or column == "participant_key") and not (
                        isinstance(value, str) and 1 <= len(value) <= 64 and value == value.strip()):
                    errors.append(f"{where}: bad code {value!r} in {column}")
                if column in DATE_COLUMNS and not isinstance(value, dt.date):
                    errors.append(f"{where}: {column} is not a date")
                if column in NUMBER_COLUMNS and not is_number(value):
                    errors.append(f"{where}: {column} is not a number")
                if (column.endswith("iso3") or column == "currency") and not re.fullmatch(r"[A-Z]{3}", value):
                    errors.append(f"{where}: bad code {value!r} in {column}")
                if (name, column) in ENUMS and value not in ENUMS[(name, column)]:
                    errors.append(f"{where}: {column} {value!r} not allowed")
            seen_keys[tuple(None if oracle.is_blank(row.get(k)) else row.get(k) for k in spec["key"])] += 1
        errors += [f"{name}: duplicate key {key}" for key, count in seen_keys.items() if count > 1]

    programmes = {p["code"]: p for p in rows("programmes")}
    nodes = {(n["programme_code"], n["code"]): n for n in rows("logframe")}
    indicators = {(i["programme_code"], i["code"]): i for i in rows("indicators")}
    funders = {f["code"] for f in rows("funders")}
    grants = {g["code"] for g in rows("grants")}
    lines = {(b["programme_code"], b["code"]) for b in rows("budget_lines")}
    organisations = {o["code"] for o in rows("organisations")}
    sessions = {s["code"] for s in rows("sessions")}
    rated = BUILTIN | {r["currency"] for r in rows("fx_rates")}

    for p in rows("programmes"):
        if not p["end_date"] > p["start_date"]:
            errors.append(f"programme {p['code']}: end_date must be after start_date")
    for name in ("logframe", "indicators", "targets", "measurements", "grants", "budget_lines", "expenditures",
                 "sessions"):
        errors += [f"{name}: unknown programme {r['programme_code']}" for r in rows(name)
                   if r["programme_code"] not in programmes]
    for n in rows("logframe"):
        parent = nodes.get((n["programme_code"], n.get("parent_code")))
        if n["level"] == "goal" and n.get("parent_code") is not None:
            errors.append(f"logframe {n['code']}: a goal has no parent")
        if n["level"] != "goal" and (parent is None or LEVEL_RANK[parent["level"]] >= LEVEL_RANK[n["level"]]):
            errors.append(f"logframe {n['code']}: bad parent {n.get('parent_code')!r}")
    for i in rows("indicators"):
        if (i["programme_code"], i["logframe_code"]) not in nodes:
            errors.append(f"indicator {i['code']}: unknown logframe node")
    for name in ("targets", "measurements"):
        for r in rows(name):
            ind = indicators.get((r["programme_code"], r["indicator_code"]))
            if ind is None:
                errors.append(f"{name}: unknown indicator {r['indicator_code']}")
            elif name == "measurements" and ind.get("computed_from"):
                errors.append(f"measurements: computed indicator {ind['code']} has a measurement")
    for g in rows("grants"):
        if g["funder_code"] not in funders:
            errors.append(f"grant {g['code']}: unknown funder")
        if g["status"] == "signed" and g.get("signed_date") is None:
            errors.append(f"grant {g['code']}: signed without signed_date")
        if g.get("probability") is not None and not 0 <= g["probability"] <= 1:
            errors.append(f"grant {g['code']}: probability out of 0..1")
    errors += [f"receipt: unknown grant {r['grant_code']}" for r in rows("receipts") if r["grant_code"] not in grants]
    for b in rows("budget_lines"):
        node = nodes.get((b["programme_code"], b.get("logframe_code")))
        if b.get("logframe_code") is not None and (node is None or node["level"] not in {"activity", "result"}):
            errors.append(f"budget line {b['code']}: logframe_code must be an activity or result")
    for e in rows("expenditures"):
        if (e["programme_code"], e["budget_line_code"]) not in lines:
            errors.append(f"expenditure {e['reference']}: unknown budget line")
        if e.get("grant_code") is not None and e["grant_code"] not in grants:
            errors.append(f"expenditure {e['reference']}: unknown grant")
    for s in rows("sessions"):
        if (s["programme_code"], s["logframe_code"]) not in nodes:
            errors.append(f"session {s['code']}: unknown logframe node")
        if s["end_date"] < s["start_date"] or s["hours"] < 0:
            errors.append(f"session {s['code']}: bad dates or hours")
    sexes: dict[str, set[str]] = {}
    for a in rows("attendance"):
        if a["session_code"] not in sessions:
            errors.append(f"attendance: unknown session {a['session_code']}")
        if a.get("organisation_code") is not None and a["organisation_code"] not in organisations:
            errors.append(f"attendance: unknown organisation {a['organisation_code']}")
        if a.get("sex") is not None:
            sexes.setdefault(a["participant_key"], set()).add(a["sex"])
    errors += [f"participant {key}: two sexes {sorted(values)}" for key, values in sexes.items() if len(values) > 1]
    for r in rows("fx_rates"):
        if r["currency"] in BUILTIN:
            errors.append(f"fx_rates: built-in currency {r['currency']}")
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(r["month"])) or not r["per_eur"] > 0:
            errors.append(f"fx_rates: bad row {r}")
    for name in ("grants", "receipts", "budget_lines", "expenditures"):
        errors += [f"{name}: no rate for {r['currency']}" for r in rows(name) if r["currency"] not in rated]
    return errors


def test_the_contract_document_lists_every_sheet():
    assert list(CONTRACT_SHEETS) == list(COLUMNS)
    assert CONTRACT_SHEETS["receipts"]["key"] == ["grant_code", "date", "reference"]
    assert "reference" in CONTRACT_SHEETS["receipts"]["optional"]


def test_the_unseen_columns_are_the_contract_columns():
    assert {name: list(columns) for name, columns in COLUMNS.items()} == {
        name: spec["columns"] for name, spec in CONTRACT_SHEETS.items()}


def test_the_contract_check_catches_broken_workbooks():
    broken = cases.workbook(
        cases.indicator("C1", computed_from="sessions"), cases.measurement("C1", cases.day(5), 1),
        cases.funder("F1"), cases.grant("G1", "F1", "signed", 10),
        cases.fx("XOF", "2024-01", 650.0),
        cases.node("A9", "activity", "NOPE"),
    )
    broken["budget_lines"] = [{**cases.line("L1", 1)[1], "ammount": 1}]
    errors = "\n".join(contract_errors(broken))
    for expected in ("computed indicator C1", "signed without signed_date", "built-in currency XOF",
                     "bad parent 'NOPE'", "unknown column ammount"):
        assert expected in errors


@pytest.mark.parametrize("case", cases.CASES, ids=[c["id"] for c in cases.CASES])
def test_every_case_workbook_honours_the_contract(case):
    assert contract_errors(case["sheets"]) == []


# --------------------------------------------------------------------------------------------
# The unseen workbook
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def unseen() -> dict[str, list[dict[str, Any]]]:
    return build_unseen()


def test_the_unseen_workbook_is_deterministic(unseen):
    assert build_unseen() == unseen


def test_the_unseen_workbook_honours_the_contract(unseen):
    assert contract_errors(unseen) == []


def _rate_fallbacks(sheets) -> Counter:
    """How each USD/CHF amount of UNSEEN-X found its rate: same, earlier or later month."""
    rates = oracle.rate_table(sheets)
    start = next(p["start_date"] for p in sheets["programmes"] if p["code"] == PROGRAMME)
    dated = [(e["currency"], e["date"]) for e in sheets["expenditures"]]
    dated += [(r["currency"], r["date"]) for r in sheets["receipts"]]
    dated += [(g["currency"], g["signed_date"] or g["start_date"] or start) for g in sheets["grants"]]
    dated += [(b["currency"], start) for b in sheets["budget_lines"]]
    found = Counter()
    for currency, on in dated:
        if currency in rates:
            month = oracle.month_key(on)
            months = rates[currency]
            found[(currency, "same" if month in months else "earlier" if min(months) < month else "later")] += 1
    return found


def test_the_unseen_workbook_needs_every_rate_fallback(unseen):
    found = _rate_fallbacks(unseen)
    for currency in ("USD", "CHF"):
        for how in ("same", "earlier", "later"):
            assert found[(currency, how)] > 0, (currency, how)


def test_the_unseen_workbook_covers_the_funding_corners(unseen):
    grants = [g for g in unseen["grants"] if g["programme_code"] == PROGRAMME]
    statuses = Counter(g["status"] for g in grants)
    assert set(statuses) == {"signed", "prospect", "submitted", "rejected"}
    assert any(g["in_kind"] for g in grants)
    assert any(g["status"] == "prospect" and g["probability"] is None for g in grants)
    assert any(g["status"] == "submitted" and g["probability"] is not None for g in grants)
    assert any(g["status"] == "signed" and g["signed_date"] > dt.date(2025, 12, 31) for g in grants)
    assert {r["currency"] for r in unseen["receipts"]} >= {"EUR", "XOF", "USD", "CHF"}
    spending = [e for e in unseen["expenditures"] if e["programme_code"] == PROGRAMME]
    assert any(e["amount"] < 0 for e in spending)
    assert {e["currency"] for e in spending} >= {"EUR", "XOF", "XAF", "USD", "CHF"}
    assert max(e["date"] for e in spending) > max(d for d in AS_OF_DATES if d < dt.date(2026, 9, 1))


def test_the_unseen_workbook_covers_the_training_corners(unseen):
    rows = unseen["attendance"]
    per_key: dict[str, set] = {}
    for a in rows:
        per_key.setdefault(a["participant_key"], set()).add(a["sex"])
    assert per_key["px-blank-then-f"] == {None, "F"}
    assert "X" in {a["sex"] for a in rows}
    assert any(values == {None} for values in per_key.values())  # sex never known
    assert any(s["country_iso3"] is None for s in unseen["sessions"])
    kpis = oracle.compute_kpis(unseen, PROGRAMME, today=TODAY)
    assert kpis["training"]["repeat_participants"] > 0
    assert 0 < kpis["training"]["unknown_sex_share"] < 1


def test_the_unseen_workbook_meets_every_indicator_status(unseen):
    seen = Counter()
    for as_of in AS_OF_DATES:
        kpis = oracle.compute_kpis(unseen, PROGRAMME, as_of=as_of)
        seen.update(r["status"] for r in kpis["indicators"])
        if as_of == dt.date(2024, 3, 15):
            assert cases.lookup(kpis, "indicators[IND05:NER].status") == "not_due"
            assert cases.lookup(kpis, "indicators[IND05:*rollup].status") == "not_due"
        rows = {cases.row_id(r) for r in kpis["indicators"]}
        assert {"IND01:HTI", "IND02:HTI", "IND02:*rollup", "IND04:-", "IND06:-", "IND07:-"} <= rows
        assert "IND04:*rollup" not in rows
        assert cases.lookup(kpis, "indicators[IND01:HTI].status") == "non_reporting"
        assert cases.lookup(kpis, "indicators[IND02:HTI].target") is None
    assert set(seen) == {"ahead", "on_track", "behind", "non_reporting", "not_due"}
    kinds = {i["computed_from"] for i in unseen["indicators"]}
    assert kinds >= {None, "sessions", "participants", "organisations"}


def _figures_near_thresholds(kpis: dict[str, Any]) -> list[str]:
    """Figures of a kpis object within 1e-6 of a threshold that decides a status."""
    def near(value, thresholds):
        return value is not None and any(abs(value - t) < 1e-6 for t in thresholds)

    found = []
    budgets = [("budget", kpis["budget"])] + [(c, v) for c, v in kpis["countries"].items()]
    for name, figures in budgets:
        if near(figures["burn_index"], (oracle.OVERSPEND_ABOVE, oracle.UNDERSPEND_BELOW)):
            found.append(f"{name} burn_index {figures['burn_index']}")
    if near(kpis["budget"]["elapsed"], (oracle.UNDERSPEND_MIN_ELAPSED,)):
        found.append("elapsed")
    if near(kpis["funding"]["hhi"], (oracle.HHI_DIVERSIFIED_BELOW, oracle.HHI_CONCENTRATED_ABOVE)):
        found.append("hhi")
    for row in kpis["indicators"]:
        if near(row["pace"], (oracle.PACE_AHEAD_ABOVE, oracle.PACE_BEHIND_BELOW)):
            found.append(f"{cases.row_id(row)} pace {row['pace']}")
        if row["status"] not in {"not_due", "non_reporting"} and near(row["expected"], (row["baseline"],)):
            found.append(f"{cases.row_id(row)} expected {row['expected']} ~ baseline")
    return found


@pytest.mark.parametrize("countries", [None, ["BEN"], ["HTI", "TCD"]])
@pytest.mark.parametrize("as_of", (*AS_OF_DATES, None))
def test_the_unseen_figures_keep_clear_of_the_thresholds(unseen, as_of, countries):
    kpis = oracle.compute_kpis(unseen, PROGRAMME, as_of=as_of, countries=countries, today=TODAY)
    assert _figures_near_thresholds(kpis) == []


def test_the_unseen_default_as_of_is_the_latest_programme_date(unseen):
    # The expenditure of OTHER-Y dated 2026-10-15 must not move UNSEEN-X's as-of date.
    assert oracle.compute_kpis(unseen, PROGRAMME, today=TODAY)["as_of"] == "2026-09-30"
    assert oracle.compute_kpis(unseen, OTHER, today=TODAY)["as_of"] == "2026-10-15"


# --------------------------------------------------------------------------------------------
# Invariants between sections of the oracle
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_country_filters_agree_with_the_countries_section(unseen, as_of):
    whole = oracle.compute_kpis(unseen, PROGRAMME, as_of=as_of)
    for country, figures in whole["countries"].items():
        filtered = oracle.compute_kpis(unseen, PROGRAMME, as_of=as_of, countries=[country])
        keys = ("budget", "spent", "execution", "burn_index", "status")
        same_budget = {f"budget.{key}": figures[key] for key in keys}
        assert mismatches(filtered, same_budget) == []
        assert filtered["training"]["participants"] == figures["participants"]
        # programme-level figures do not move with the filter
        programme_level = {f"budget.{key}": whole["budget"][key]
                           for key in ("funding_signed", "coverage", "gap", "received", "cash_exposure")}
        assert mismatches(filtered, programme_level) == []


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_countries_and_regional_lines_add_up_to_the_programme(unseen, as_of):
    whole = oracle.compute_kpis(unseen, PROGRAMME, as_of=as_of)
    scope = oracle.Scope(unseen, oracle.find_programme(unseen, PROGRAMME), as_of, oracle.rate_table(unseen))
    regional = oracle.budget_figures(scope, [b for b in oracle.budget_lines(scope) if b["country_iso3"] is None])
    assert regional["budget"] > 0
    for key in ("budget", "spent"):
        countries = sum(figures[key] for figures in whole["countries"].values())
        assert countries + regional[key] == pytest.approx(whole["budget"][key], abs=1e-6)


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_shares_add_up_to_one(unseen, as_of):
    funding = oracle.compute_kpis(unseen, PROGRAMME, as_of=as_of)["funding"]
    assert sum(funding["by_funder"].values()) == pytest.approx(1)
    assert sum(funding["by_type"].values()) == pytest.approx(1)
    assert funding["hhi"] == pytest.approx(sum(s * s for s in funding["by_funder"].values()))
