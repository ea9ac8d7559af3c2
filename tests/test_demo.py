"""Invariants of the demo workbook generator (``dashboard/demo.py``).

The importer checks the contract when the demo is loaded; these tests check the generator on its
own, without a database: it is deterministic, every reference resolves, the rules of
docs/DATA_CONTRACT.md hold, the scenario the dashboard shows off is there (a non-reporting
country, overspent lines, a funding cliff), and ``data/demo/`` is exactly what it writes.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest

from dashboard.demo import DEMO_DIR, LT_DATA_UNTIL, build_demo, write_demo
from dashboard.workbook_io import COLUMNS

P1, P2 = "PCRPM-C2", "LT-PAIRS"

#: Natural keys of docs/DATA_CONTRACT.md.
KEYS = {
    "programmes": ("code",),
    "logframe": ("programme_code", "code"),
    "indicators": ("programme_code", "code"),
    "targets": ("programme_code", "indicator_code", "country_iso3", "period_end"),
    "measurements": ("programme_code", "indicator_code", "country_iso3", "period_end"),
    "funders": ("code",),
    "grants": ("code",),
    "receipts": ("grant_code", "date", "reference"),
    "budget_lines": ("programme_code", "code"),
    "expenditures": ("programme_code", "reference"),
    "organisations": ("code",),
    "sessions": ("code",),
    "attendance": ("session_code", "participant_key"),
    "fx_rates": ("currency", "month"),
}

LEVELS = ("goal", "objective", "result", "activity")

#: Enumerated columns and their values (``None`` allowed where the column is optional).
ENUMS = {
    ("logframe", "level"): set(LEVELS),
    ("indicators", "unit"): {"count", "percent", "currency", "other"},
    ("indicators", "direction"): {"increase", "decrease", None},
    ("indicators", "aggregation"): {"sum", "latest", None},
    ("indicators", "computed_from"): {"sessions", "participants", "organisations", None},
    ("funders", "type"): {"public_bilateral", "multilateral", "european_union", "local_authority", "foundation",
                          "private_donors", "corporate", "partner_cofinancing", "own_funds", "other"},
    ("grants", "status"): {"prospect", "submitted", "signed", "rejected"},
    ("budget_lines", "category"): {"personnel", "activities", "travel", "equipment", "services", "overheads",
                                   "other"},
    ("organisations", "type"): {"local_association", "diaspora_association", "network", "ngo",
                                "public_authority", "local_authority", "international_organisation", "other"},
    ("sessions", "kind"): {"training", "field_visit", "exchange", "workshop", "webinar", "other"},
    ("attendance", "sex"): {"F", "M", "X", None},
    ("attendance", "age_band"): {"<25", "25-34", "35-49", "50+", None},
}

BUILTIN_RATES = {"EUR": 1.0, "XOF": 655.957, "XAF": 655.957}
ISO3 = {"TUN", "MAR", "SEN", "MLI", "CIV", "GIN", "CMR", "FRA"}


@pytest.fixture(scope="module")
def demo() -> dict[str, list[dict]]:
    return build_demo()


def rows_of(demo, sheet, programme=None):
    return [r for r in demo[sheet] if programme is None or r.get("programme_code") == programme]


def to_eur(demo, amount, currency, day):
    """METRICS.md conversion: that month's rate, else the latest earlier, else the earliest."""
    if currency in BUILTIN_RATES:
        return amount / BUILTIN_RATES[currency]
    months = {r["month"]: r["per_eur"] for r in demo["fx_rates"] if r["currency"] == currency}
    wanted = f"{day:%Y-%m}"
    earlier = [m for m in months if m <= wanted]
    return amount / months[max(earlier) if earlier else min(months)]


# --------------------------------------------------------------------------------------------
# Determinism and the shipped files
# --------------------------------------------------------------------------------------------

def test_build_is_deterministic(demo):
    assert build_demo() == demo


def test_shipped_demo_is_a_fresh_build(tmp_path):
    """``data/demo/`` must be regenerated (``python -m dashboard demo write``) after a change of
    the generator: the files in the repository equal a fresh build, byte for byte."""
    written = write_demo(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{sheet}.csv" for sheet in COLUMNS)
    shipped = sorted(p.name for p in DEMO_DIR.glob("*.csv"))
    assert shipped == sorted(p.name for p in written)
    for path in written:
        assert (DEMO_DIR / path.name).read_bytes() == path.read_bytes(), f"data/demo/{path.name} is stale"
    assert sum(p.stat().st_size for p in written) < 3_000_000


# --------------------------------------------------------------------------------------------
# Contract rules
# --------------------------------------------------------------------------------------------

def test_every_sheet_with_exactly_the_contract_columns(demo):
    assert list(demo) == list(COLUMNS)
    for sheet, rows in demo.items():
        assert rows, f"{sheet} is empty"
        for row in rows:
            assert list(row) == COLUMNS[sheet]


def test_values_have_writable_types(demo):
    for sheet, rows in demo.items():
        for row in rows:
            for column, value in row.items():
                assert value is None or type(value) in (str, int, float, bool, dt.date), (sheet, column, value)


@pytest.mark.parametrize("sheet", list(KEYS))
def test_natural_keys_are_unique(demo, sheet):
    keys = [tuple(row[c] for c in KEYS[sheet]) for row in demo[sheet]]
    assert len(keys) == len(set(keys))


def test_codes_are_clean(demo):
    for sheet, rows in demo.items():
        for row in rows:
            for column, value in row.items():
                if (column == "code" or column.endswith("_code")) and value is not None:
                    assert isinstance(value, str) and 1 <= len(value) <= 64 and value == value.strip()


def test_enumerations(demo):
    for (sheet, column), allowed in ENUMS.items():
        found = {row[column] for row in demo[sheet]}
        assert found <= allowed, (sheet, column, found - allowed)


def test_countries_are_iso3(demo):
    for sheet, rows in demo.items():
        for row in rows:
            if "country_iso3" in row and row["country_iso3"] is not None:
                assert row["country_iso3"] in ISO3


def test_references_resolve(demo):
    programmes = {r["code"] for r in demo["programmes"]}
    nodes = {(r["programme_code"], r["code"]) for r in demo["logframe"]}
    indicators = {(r["programme_code"], r["code"]) for r in demo["indicators"]}
    funders = {r["code"] for r in demo["funders"]}
    grants = {r["code"]: r for r in demo["grants"]}
    lines = {(r["programme_code"], r["code"]) for r in demo["budget_lines"]}
    organisations = {r["code"] for r in demo["organisations"]}
    sessions = {r["code"] for r in demo["sessions"]}
    for sheet, rows in demo.items():
        for row in rows:
            if "programme_code" in row:
                assert row["programme_code"] in programmes
    for sheet in ("indicators", "sessions", "budget_lines"):
        for row in demo[sheet]:
            if row["logframe_code"] is not None or sheet != "budget_lines":
                assert (row["programme_code"], row["logframe_code"]) in nodes, (sheet, row)
    for sheet in ("targets", "measurements"):
        for row in demo[sheet]:
            assert (row["programme_code"], row["indicator_code"]) in indicators
    for row in demo["grants"]:
        assert row["funder_code"] in funders
    for row in demo["receipts"]:
        assert row["grant_code"] in grants
    for row in demo["expenditures"]:
        assert (row["programme_code"], row["budget_line_code"]) in lines
        if row["grant_code"] is not None:
            assert grants[row["grant_code"]]["programme_code"] == row["programme_code"]
    for row in demo["attendance"]:
        assert row["session_code"] in sessions
        assert row["organisation_code"] is None or row["organisation_code"] in organisations


def test_logframe_parents_are_one_level_up(demo):
    levels = {(r["programme_code"], r["code"]): r["level"] for r in demo["logframe"]}
    for row in demo["logframe"]:
        if row["level"] == "goal":
            assert row["parent_code"] is None
        else:
            parent = levels[(row["programme_code"], row["parent_code"])]
            assert LEVELS.index(parent) == LEVELS.index(row["level"]) - 1, row


def test_computed_indicators_have_no_measurements(demo):
    computed = {(r["programme_code"], r["code"]) for r in demo["indicators"] if r["computed_from"]}
    assert computed
    assert not [r for r in demo["measurements"] if (r["programme_code"], r["indicator_code"]) in computed]


def test_grants_receipts_and_budget_amounts(demo):
    for row in demo["grants"]:
        assert row["amount"] >= 0
        if row["status"] == "signed":
            assert isinstance(row["signed_date"], dt.date)
        if row["probability"] is not None:
            assert 0 <= row["probability"] <= 1
        if row["start_date"] and row["end_date"]:
            assert row["end_date"] > row["start_date"]
    in_kind = {r["code"] for r in demo["grants"] if r["in_kind"]}
    for row in demo["receipts"]:
        assert row["amount"] >= 0 and row["grant_code"] not in in_kind
    for row in demo["budget_lines"]:
        assert row["amount"] >= 0


def test_negative_expenditures_are_corrections(demo):
    negative = [r for r in demo["expenditures"] if r["amount"] < 0]
    assert {r["programme_code"] for r in negative} == {P1, P2}
    for row in negative:
        assert re.search(r"avoir|correction|remboursement", row["description"], re.IGNORECASE)


def test_sessions_dates_hours_and_positions(demo):
    for row in demo["sessions"]:
        assert row["end_date"] >= row["start_date"] and row["hours"] >= 0
        if row["latitude"] is not None:
            assert -90 <= row["latitude"] <= 90 and -180 <= row["longitude"] <= 180
    regional = [r for r in demo["sessions"] if r["country_iso3"] is None]
    assert len(regional) >= 2


def test_every_foreign_currency_has_monthly_rates(demo):
    rates = defaultdict(set)
    for row in demo["fx_rates"]:
        assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", row["month"]) and row["per_eur"] > 0
        rates[row["currency"]].add(row["month"])
    assert not set(rates) & set(BUILTIN_RATES)
    for sheet, date_column in (("receipts", "date"), ("expenditures", "date"), ("grants", "signed_date")):
        for row in demo[sheet]:
            if row["currency"] not in BUILTIN_RATES:
                assert f"{row[date_column]:%Y-%m}" in rates[row["currency"]], (sheet, row)
    used = {r["currency"] for r in demo["budget_lines"]} | {r["currency"] for r in demo["expenditures"]}
    assert used - set(BUILTIN_RATES) == set(rates) == {"GNF", "MAD", "TND"}


# --------------------------------------------------------------------------------------------
# No personal data
# --------------------------------------------------------------------------------------------

def test_participants_are_pseudonymous_and_consistent(demo):
    sexes = defaultdict(set)
    for row in demo["attendance"]:
        assert re.fullmatch(r"P-[0-9A-F]{10}", row["participant_key"])
        if row["sex"]:
            sexes[row["participant_key"]].add(row["sex"])
    assert all(len(values) == 1 for values in sexes.values())
    assert len({r["participant_key"] for r in demo["attendance"]}) >= 300


def test_no_email_address(demo):
    for sheet in ("attendance", "organisations"):
        for row in demo[sheet]:
            assert not any("@" in value for value in row.values() if isinstance(value, str))


# --------------------------------------------------------------------------------------------
# The scenario
# --------------------------------------------------------------------------------------------

def test_programme_1_logframe_follows_the_seed(demo):
    codes = {r["code"]: r for r in rows_of(demo, "logframe", P1)}
    expected = {"OG", "OS1", "OS2", "OS3", "R1.1", "R1.2", "R2.1", "R3.1", "R3.2", "R3.3", "A1.1.1", "A1.2.1",
                "A1.2.2", "A2.1.1", "A2.1.2", "A2.1.3", "A2.1.5", "A2.2.1", "A2.2.2", "A3.1.1", "A3.1.2",
                "A3.1.3", "A3.2.1", "A3.2.2", "A3.3.1"}
    assert set(codes) == expected
    for code in ("A2.2.1", "A2.2.2"):  # the seed lists them under a missing R2.2
        assert codes[code]["parent_code"] == "R2.1" and "R2.2" in codes[code]["description"]
    countries = {r["country_iso3"] for r in rows_of(demo, "targets", P1)} - {None}
    assert countries == {"TUN", "MAR", "SEN", "MLI", "CIV", "GIN", "CMR"}


def test_programme_1_budget_and_main_grant(demo):
    start = next(r["start_date"] for r in demo["programmes"] if r["code"] == P1)
    budget = sum(to_eur(demo, r["amount"], r["currency"], start) for r in rows_of(demo, "budget_lines", P1))
    assert 1_300_000 < budget < 1_700_000
    main = next(r for r in demo["grants"] if r["funder_code"] == "EF")
    assert main["status"] == "signed" and 0.80 <= main["amount"] / budget <= 0.90


def test_programme_1_has_overspent_and_underspent_lines(demo):
    spent = defaultdict(float)
    for row in rows_of(demo, "expenditures", P1):
        spent[row["budget_line_code"]] += to_eur(demo, row["amount"], row["currency"], row["date"])
    start = next(r["start_date"] for r in demo["programmes"] if r["code"] == P1)
    ratios = {r["code"]: spent[r["code"]] / to_eur(demo, r["amount"], r["currency"], start)
              for r in rows_of(demo, "budget_lines", P1)}
    assert 1 <= sum(1 for ratio in ratios.values() if ratio > 1) <= 3
    assert any(ratio < 0.7 for ratio in ratios.values())


def test_a_country_does_not_report_a_targeted_indicator(demo):
    computed = {r["code"] for r in rows_of(demo, "indicators", P1) if r["computed_from"]}
    targeted = {(r["indicator_code"], r["country_iso3"]) for r in rows_of(demo, "targets", P1)
                if r["country_iso3"] and r["indicator_code"] not in computed}
    measured = {(r["indicator_code"], r["country_iso3"]) for r in rows_of(demo, "measurements", P1)}
    assert targeted - measured


def test_lt_pairs_has_no_fact_after_the_data_stop(demo):
    lt_grants = {r["code"] for r in rows_of(demo, "grants", P2)}
    dates = [r["date"] for r in rows_of(demo, "expenditures", P2)]
    dates += [r["date"] for r in demo["receipts"] if r["grant_code"] in lt_grants]
    dates += [r["period_end"] for r in rows_of(demo, "measurements", P2)]
    dates += [d for r in rows_of(demo, "sessions", P2) for d in (r["start_date"], r["end_date"])]
    dates += [d for r in rows_of(demo, "grants", P2) for d in (r["signed_date"], r["start_date"]) if d]
    assert dates and max(dates) <= LT_DATA_UNTIL == dt.date(2026, 10, 31)


def test_lt_pairs_funding_cliff(demo):
    """Exactly one signed grant ends between December 2026 and April 2027 with no later signed
    grant of its funder: the overview's "funding cliff" alert."""
    signed = [r for r in demo["grants"] if r["status"] == "signed"]
    cliff = [g for g in signed if g["programme_code"] == P2
             and dt.date(2026, 12, 1) <= g["end_date"] <= dt.date(2027, 4, 30)
             and not any(o["funder_code"] == g["funder_code"] and o["code"] != g["code"]
                         and o["end_date"] > g["end_date"] for o in signed)]
    assert [g["funder_code"] for g in cliff] == ["FAP"]
    assert any(r["status"] == "submitted" for r in rows_of(demo, "grants", P2))
    assert not {r["funder_code"] for r in rows_of(demo, "grants", P1)} & {r["funder_code"] for r in
                                                                         rows_of(demo, "grants", P2)}
