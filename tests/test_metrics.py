"""The pure metric functions against values worked out by hand (docs/METRICS.md)."""
import datetime as dt

import pytest

from dashboard.fx import RateBook
from dashboard.metrics import budget as mb
from dashboard.metrics import funding as mf
from dashboard.metrics import logframe as ml
from dashboard.metrics import training as mt

D = dt.date
START, END = D(2024, 1, 1), D(2024, 4, 10)  # exactly 100 days


def test_elapsed_is_the_share_of_days_and_is_clamped():
    assert mb.elapsed(START, END, D(2024, 2, 20)) == pytest.approx(0.50)  # day 50 of 100
    assert mb.elapsed(START, END, D(2023, 12, 1)) == 0.0
    assert mb.elapsed(START, END, D(2025, 1, 1)) == 1.0


def test_budget_figures_at_half_time():
    # B = 1000, S = 600 at day 50: execution 0.6, burn 1.2 (> 1.10: overspend), eac 1200, vac -200
    f = mb.figures(1000.0, 600.0, 0.5)
    assert f["execution"] == pytest.approx(0.6)
    assert f["burn_index"] == pytest.approx(1.2)
    assert f["eac"] == pytest.approx(1200)
    assert f["vac"] == pytest.approx(-200)
    assert f["status"] == "overspend"


@pytest.mark.parametrize("budget,spent,elapsed,expected", [
    (1000, 550, 0.5, "on_track"),      # burn 1.10 is not above 1.10
    (1000, 560, 0.5, "overspend"),     # burn 1.12
    (1000, 390, 0.5, "underspend"),    # burn 0.78 after a quarter of the time
    (1000, 100, 0.2, "on_track"),      # burn 0.5 but only 20 % elapsed
    (1000, 200, 0.25, "on_track"),     # burn 0.2/0.25 = 0.80 exactly is not below 0.80
    (1000, 190, 0.25, "underspend"),   # burn 0.76 once a quarter has elapsed
    (0, 50, 0.5, "no_data"),
    (1000, 0, 0.0, "on_track"),        # elapsed 0: burn index null, no rule fires
    (100, 101, 1.0, "over_budget"),    # S > B at the end: burn 1.01 <= 1.10, yet over budget
    (1000, 1000, 1.0, "on_track"),     # S = B is not over the budget
    (1000, 1200, 0.2, "over_budget"),  # S > B early on (burn 6.0): over_budget beats overspend
    (1000, 1001, 0.0, "over_budget"),  # elapsed 0, burn null: S > B still fires
    (0, 50, 0.0, "no_data"),           # no budget: no_data first, even with spending
])
def test_budget_status_bands(budget, spent, elapsed, expected):
    assert mb.figures(budget, spent, elapsed)["status"] == expected


def test_a_line_over_its_amount_has_the_programme_status_name():
    # A line of 1000 spent 1050 at elapsed 1.0: burn 1.05 -> over_budget (formerly "overspent");
    # spent 1000 at elapsed 0.5: burn 2.0 -> overspend; 0 amount -> no_data, as for a programme
    assert mb.line_status(1000.0, 1050.0, 1.0) == "over_budget"
    assert mb.line_status(1000.0, 1000.0, 0.5) == "overspend"
    assert mb.line_status(0.0, 10.0, 0.5) == "no_data"


def test_nulls_when_denominators_are_zero():
    f = mb.figures(0.0, 0.0, 0.0)
    assert f["execution"] is None and f["burn_index"] is None and f["eac"] is None and f["vac"] is None
    g = mb.funding_figures(0.0, 10.0, 5.0, 20.0)
    assert g["coverage"] is None and g["gap"] == 0.0 and g["cash_exposure"] == 0.0


def test_coverage_gap_and_cash_exposure():
    # B 1000, F 800 -> coverage 0.8, gap 200; S 600, R 450 -> exposure 150
    g = mb.funding_figures(1000.0, 600.0, 800.0, 450.0)
    assert (g["coverage"], g["gap"], g["cash_exposure"]) == pytest.approx((0.8, 200.0, 150.0))


def test_fx_lookup_same_month_then_earlier_then_later():
    book = RateBook({"GNF": {"2022-03": 9000.0, "2022-06": 10000.0}})
    assert book.per_eur("GNF", 202203) == 9000.0   # that month
    assert book.per_eur("GNF", 202205) == 9000.0   # most recent earlier month
    assert book.per_eur("GNF", 202301) == 10000.0  # most recent earlier month
    assert book.per_eur("GNF", 202201) == 9000.0   # none earlier: earliest later month
    assert book.to_eur(655.957, "XOF", 199901) == pytest.approx(1.0)
    with pytest.raises(KeyError):
        book.per_eur("USD", 202203)


def test_concentration_of_three_funders():
    # shares 0.5, 0.3, 0.2 -> hhi 0.25+0.09+0.04 = 0.38 (concentrated), 1/0.38 = 2.6316 funders
    c = mf.concentration({"A": 500.0, "B": 300.0, "C": 200.0}, {"A": "foundation", "B": "foundation", "C": "corporate"})
    assert c["hhi"] == pytest.approx(0.38)
    assert c["effective_funders"] == pytest.approx(1 / 0.38)
    assert c["band"] == "concentrated"
    assert c["top_funder"] == "A" and c["top_share"] == pytest.approx(0.5) and c["top3_share"] == pytest.approx(1.0)
    assert c["by_type"] == pytest.approx({"foundation": 0.8, "corporate": 0.2})


def test_band_thresholds_and_top_funder_ties():
    assert mf.band(0.1499) == "diversified" and mf.band(0.15) == "moderate"
    assert mf.band(0.25) == "moderate" and mf.band(0.2501) == "concentrated"
    c = mf.concentration({"Z": 100.0, "B": 100.0}, {"Z": "other", "B": "other"})
    assert c["top_funder"] == "B"  # tie: smallest code


def test_stress_test_without_a_funder():
    # without A (500): F = 500 for B = 1000 -> coverage 0.5, gap 500, hhi of (300, 200) = 0.36 + 0.16 = 0.52
    r = mf.without_funder({"A": 500.0, "B": 300.0, "C": 200.0}, "A", 1000.0)
    assert (r["funding_signed"], r["coverage"], r["gap"]) == pytest.approx((500.0, 0.5, 500.0))
    assert r["hhi"] == pytest.approx(0.52)


def test_sex_shares_and_small_cells():
    # F 3, M 1, X 0, unknown 2: women 3/4, unknown 2/6
    women, unknown = mt.sex_shares({"F": 3, "M": 1, "": 2})
    assert women == pytest.approx(0.75) and unknown == pytest.approx(1 / 3)
    assert mt.sex_shares({"": 2}) == (None, 1.0)
    assert [mt.suppress(n) for n in (0, 1, 4, 5)] == [0, "< 5", "< 5", 5]
    assert mt.suppressed_share(3, 40) is None and mt.suppressed_share(10, 40) == 0.25


def test_expected_value_interpolates_through_milestones():
    # baseline 0 at start; 10 at day 50; 30 at day 100
    ms = [(D(2024, 2, 20), 10.0), (D(2024, 4, 10), 30.0)]
    assert ml.expected(START, 0.0, ms, D(2024, 1, 26)) == pytest.approx(5.0)   # day 25: half of 10
    assert ml.expected(START, 0.0, ms, D(2024, 3, 16)) == pytest.approx(20.0)  # day 75: 10 + 20/2
    assert ml.expected(START, 0.0, ms, D(2025, 1, 1)) == 30.0                  # after the last: T
    assert ml.expected(START, 0.0, ms, START) == 0.0                           # at start: b
    assert ml.expected(START, 0.0, [], D(2024, 2, 1)) is None


def test_statuses_by_pace_band():
    ind = ml.Indicator("I", "R1")
    # b 0, T 100, E 50: A 50 pace 1 on track; A 58 pace 1.16 ahead; A 42 pace 0.84 behind
    assert ml.evaluate(ind, 0, 100, 50, 50)["status"] == "on_track"
    assert ml.evaluate(ind, 0, 100, 50, 58)["status"] == "ahead"
    assert ml.evaluate(ind, 0, 100, 50, 42)["status"] == "behind"
    assert ml.evaluate(ind, 0, 100, 50, 57.5)["status"] == "on_track"  # 1.15 exactly


def test_decrease_direction():
    ind = ml.Indicator("D", "R1", direction="decrease")
    # b 90 days, T 45, E 60, A 70: achievement (90-70)/(90-45) = 0.444, pace 20/30 = 0.667 behind
    r = ml.evaluate(ind, 90, 45, 60, 70)
    assert r["achievement"] == pytest.approx(20 / 45) and r["pace"] == pytest.approx(2 / 3)
    assert r["status"] == "behind"


def test_non_reporting_and_not_due_precedence():
    ind = ml.Indicator("I", "R1")
    nr = ml.evaluate(ind, 0, 10, 5, None)
    assert nr["status"] == "non_reporting" and nr["target"] == 10 and nr["expected"] == 5 and nr["actual"] is None
    assert ml.evaluate(ind, 0, None, None, 3)["status"] == "non_reporting"
    nd = ml.evaluate(ind, 0, 10, 0, 3)
    assert nd["status"] == "not_due" and nd["pace"] is None and nd["achievement"] == pytest.approx(0.3)


def test_rollup_sums_counts_and_averages_percent():
    count = ml.Indicator("C", "R1", baseline=1.0)
    rows = [ml.evaluate(count, 1, 11, 6, 5), ml.evaluate(count, 1, 21, 11, 13), ml.evaluate(count, 1, 5, 3, None)]
    r = ml.rollup_row(count, rows)
    # two reporting countries: b 2, T 32, E 17, A 18 -> achievement 16/30, pace 16/15
    assert (r["baseline"], r["target"], r["expected"], r["actual"]) == (2, 32, 17, 18)
    assert r["achievement"] == pytest.approx(16 / 30) and r["status"] == "on_track"
    pct = ml.Indicator("P", "R1", unit="percent")
    rows = [ml.evaluate(pct, 0, 80, 40, 30), ml.evaluate(pct, 0, 60, 30, 50)]
    r = ml.rollup_row(pct, rows)
    # means: T 70, E 35, A 40; baseline 0
    assert (r["baseline"], r["target"], r["expected"], r["actual"]) == (0, 70, 35, 40)


def test_progress_clamps_and_skips():
    rows = [{"status": "ahead", "achievement": 1.4}, {"status": "behind", "achievement": -0.2},
            {"status": "on_track", "achievement": 0.5}, {"status": "not_due", "achievement": 0.9},
            {"status": "non_reporting", "achievement": None}]
    assert ml.progress(rows) == pytest.approx((1 + 0 + 0.5) / 3)
    assert ml.progress([]) is None


def test_descendants_of_a_result():
    nodes = {"OG": None, "OS1": "OG", "R1": "OS1", "A1": "R1", "A2": "R1", "R2": "OS1"}
    assert ml.descendants(nodes, "R1") == ["A1", "A2", "R1"]
