"""Small-cell suppression (dashboard.disclosure, METRICS.md Precision 12) on hand-made tables:
primary cells, complementary cells chosen by hand, and an exhaustive attacker's audit."""
from __future__ import annotations

import pandas as pd

from dashboard import disclosure as dc
from dashboard.disclosure import NOT_DISCLOSED, SMALL, TOTAL, WITHHELD
from disclosure_audit import feasible, pinned

T = TOTAL


def published(values: dict, state: dict) -> dict:
    return {k: dc.shown(v, state[k]) for k, v in values.items()}


def test_one_small_cell_takes_the_smallest_other_cell_with_it():
    # Mali 2, Senegal 11, Côte d'Ivoire 20, total 33: 33 - 11 - 20 would give Mali's 2 back
    values = {"MLI": 2, "SEN": 11, "CIV": 20, T: 33}
    state = dc.protect(values, [(T, ["MLI", "SEN", "CIV"])])
    assert state == {"MLI": SMALL, "SEN": WITHHELD, "CIV": None, T: None}
    shown = published(values, state)
    assert shown == {"MLI": "< 5", "SEN": "n.d.", "CIV": 20, T: 33}
    # the attacker only learns MLI + SEN = 13: Mali is anything from 1 to 4
    assert feasible(shown, [(T, ["MLI", "SEN", "CIV"])])["MLI"] == {1, 2, 3, 4}


def test_before_protection_the_attacker_recovers_the_cell():
    shown = {"MLI": "< 5", "SEN": 11, "CIV": 20, T: 33}  # primary suppression alone
    assert pinned(shown, [(T, ["MLI", "SEN", "CIV"])]) == {"MLI": 2}


def test_zero_is_published_and_never_a_complement():
    values = {"A": 2, "B": 0, "C": 7, "D": 9, T: 18}
    state = dc.protect(values, [(T, ["A", "B", "C", "D"])])
    assert state == {"A": SMALL, "B": None, "C": WITHHELD, "D": None, T: None}
    assert dc.shown(0, state["B"]) == 0


def test_nothing_small_nothing_hidden():
    values = {"A": 5, "B": 0, "C": 12, T: 17}
    assert set(dc.protect(values, [(T, ["A", "B", "C"])]).values()) == {None}


def test_two_small_cells_that_the_bounds_would_pin_take_a_third():
    # 1 + 1 = 12 - 10: both "< 5" cells are then 1 (the only pair of values from 1 to 4 adding to 2)
    values = {"A": 1, "B": 1, "C": 10, T: 12}
    rel = [(T, ["A", "B", "C"])]
    assert pinned({"A": "< 5", "B": "< 5", "C": 10, T: 12}, rel) == {"A": 1, "B": 1}
    state = dc.protect(values, rel)
    assert state == {"A": SMALL, "B": SMALL, "C": WITHHELD, T: None}
    assert not pinned(published(values, state), rel)
    # 4 + 4 = 8: pinned too
    values = {"A": 4, "B": 4, "C": 10, T: 18}
    assert dc.protect(values, rel)["C"] == WITHHELD
    # 2 + 3 = 5: each could be 1 to 4, nothing more to hide
    values = {"A": 2, "B": 3, "C": 10, T: 15}
    assert dc.protect(values, rel) == {"A": SMALL, "B": SMALL, "C": None, T: None}
    assert feasible({"A": "< 5", "B": "< 5", "C": 10, T: 15}, rel)["A"] == {1, 2, 3, 4}


def test_a_complement_of_exactly_five_is_not_enough():
    # A=1, B=5: A + B = 6 with B >= 5 leaves A = 1 only, so a third cell goes too
    values = {"A": 1, "B": 5, "C": 30, T: 36}
    rel = [(T, ["A", "B", "C"])]
    assert pinned({"A": "< 5", "B": "n.d.", "C": 30, T: 36}, rel) == {"A": 1}
    state = dc.protect(values, rel)
    assert state == {"A": SMALL, "B": WITHHELD, "C": WITHHELD, T: None}
    assert not pinned(published(values, state), rel)


def test_a_small_total_hides_its_only_cell_and_a_withheld_total_takes_a_cell():
    assert dc.protect({"A": 2, "B": 0, T: 2}, [(T, ["A", "B"])]) == {"A": SMALL, "B": None, T: SMALL}
    # the total is withheld elsewhere (forced): with every cell published it would add up again
    state = dc.protect({"A": 6, "B": 7, T: 13}, [(T, ["A", "B"])], forced={T: WITHHELD})
    assert state == {"A": WITHHELD, "B": None, T: WITHHELD}


def test_a_two_way_table_leaves_no_cell_recoverable_from_rows_columns_or_totals():
    # age bands x sex, with sex totals and the grand total (the training page's table)
    cells = {("<25", "F"): 2, ("<25", "M"): 9, ("25-34", "F"): 12, ("25-34", "M"): 3,
             ("35-49", "F"): 0, ("35-49", "M"): 7, ("", "F"): 6, ("", "M"): 1}
    sexes, bands = ("F", "M"), ("<25", "25-34", "35-49", "")
    values = {**cells, **{("sex", s): sum(cells[(b, s)] for b in bands) for s in sexes}}
    values[T] = sum(cells.values())
    relations = [(T, [("sex", s) for s in sexes])] + [(("sex", s), [(b, s) for b in bands]) for s in sexes]
    assert values[("sex", "F")] == 20 and values[("sex", "M")] == 20 and values[T] == 40
    state = dc.protect(values, relations)
    shown = published(values, state)
    # F: <25 is 2 -> the smallest other F cell (6, not recorded) goes; M: 3 and 1 are both small,
    # 20 - 9 - 7 = 4 = 3 + 1 leaves each 1 to 3: safe without a complement
    assert shown[("<25", "F")] == "< 5" and shown[("", "F")] == "n.d." and shown[("25-34", "F")] == 12
    assert shown[("25-34", "M")] == "< 5" and shown[("", "M")] == "< 5" and shown[("<25", "M")] == 9
    assert shown[("35-49", "F")] == 0 and shown[T] == 40
    found = feasible(shown, relations)
    assert all(len(found[k]) >= 2 for k, v in shown.items() if v == "< 5")
    assert found[("<25", "F")] == {1, 2, 3}  # F: the two hidden cells add up to 8, the other >= 5


def test_running_total_publishes_no_difference_of_one_to_four():
    # new people per month 2, 4, 0, 7, 1: reached so far 2, 6, 6, 13, 14 (the total, published)
    points = dc.running_total([2, 4, 0, 7, 1], None)
    assert points == [None, 6, 6, None, 14]
    published_points = [p for p in points if p is not None]
    assert all(not 0 < b - a < 5 for a in published_points for b in published_points if b >= a)
    assert dc.running_total([2, 4, 0, 7, 1], WITHHELD) == [None, 6, 6, 13, None]
    assert dc.running_total([0, 3], SMALL) == [0, None]


def found_of(sex_age, kind=(), theme=(), org=(), country=(), months=()) -> dict:
    """Breakdowns as dashboard.training.breakdowns returns them, from (key..., participants) tuples."""
    frame = lambda cols, rows: pd.DataFrame(list(rows), columns=cols)  # noqa: E731
    return {"sex_age": frame(["sex", "age_band", "participants"], sex_age),
            "kind": frame(["kind", "participants", "participant_hours"], kind),
            "theme": frame(["theme", "participants", "participant_hours"], theme),
            "organisation_type": frame(["organisation_type", "participants"], org),
            "country": frame(["country_iso3", "participants"], country),
            "month": frame(["year", "month", "new_participants"], months)}


def test_programme_table_and_view_totals():
    # 13 people: Mali 2, Senegal 11; by sex F 7 (<25), M 6 (25-34): nothing small there
    found = found_of([("F", "<25", 7), ("M", "25-34", 6)])
    table = dc.programme_table({"MLI": 2, "SEN": 11, "": 0, T: 13}, found)
    assert (dc.country_state(table, "MLI"), dc.country_state(table, "SEN"), table[T]) == (SMALL, WITHHELD, None)
    assert dc.country_state(table, None) is None  # regional: 0
    assert dc.view_table(table, (), 13, found)[T] is None  # the programme: published
    sen = found_of([("F", "<25", 6), ("M", "25-34", 5)])
    assert dc.view_table(table, ("SEN",), 11, sen)[T] == WITHHELD  # a selection with a hidden country
    assert dc.view_table(table, ("MLI",), 2, found_of([("F", "<25", 2)]))[T] == SMALL
    big = dc.programme_table({"SEN": 11, "CIV": 20, T: 31}, found_of([("F", "<25", 31)]))
    assert dc.view_table(big, ("SEN",), 11, found_of([("F", "<25", 11)]))[T] is None


def test_the_shared_total_is_withheld_when_a_breakdown_cannot_be_protected_around_it():
    """6 people: 1 woman under 25 and 5 men aged 35-49, no country small. Published, the total
    gives the woman back (6 = x + z with z >= 5 leaves x = 1): the total goes, on every page."""
    found = found_of([("F", "<25", 1), ("M", "35-49", 5)])
    table = dc.programme_table({"SEN": 6, T: 6}, found)
    assert table[T] == WITHHELD and dc.country_state(table, "SEN") == WITHHELD
    assert table[("cell", "<25", "F")] == SMALL


def _row(code, country, rollup, actual, target, status="behind", baseline=0.0):
    return {"code": code, "country": country, "rollup": rollup, "baseline": baseline, "target": target,
            "expected": target / 2, "actual": actual, "achievement": (actual - baseline) / (target - baseline),
            "pace": 0.5, "status": status}


def test_indicator_rows_of_people_hide_the_small_country_and_its_complement():
    rows = [_row("I", None, True, 13.0, 60.0), _row("I", "MLI", False, 2.0, 40.0), _row("I", "SEN", False, 11.0, 20.0),
            _row("J", "MLI", False, 2.0, 10.0)]
    shown = dc.indicator_rows(rows, {"I": "participants", "J": None})
    assert [r["actual"] for r in shown] == [13.0, "< 5", NOT_DISCLOSED, 2.0]  # J counts no people
    assert [r["achievement"] for r in shown[:3]] == [13 / 60, None, None]
    assert shown[1]["pace"] is None and shown[1]["status"] == "behind"
    assert [r["disclosure"] for r in shown] == [None, SMALL, WITHHELD, None]
    # progress that a hidden row would enter is withheld; the roll-up's is not
    assert dc.progress([shown[1]]) == NOT_DISCLOSED and dc.progress([shown[2], shown[3]]) == NOT_DISCLOSED
    assert dc.progress([shown[0]]) == 13 / 60
    assert dc.progress([{**shown[1], "status": "not_due"}]) is None  # not compared: no progress anyway


def test_the_small_cell_bound_keeps_the_baseline():
    shown = dc.indicator_rows([_row("I", "MLI", False, 12.0, 40.0, baseline=10.0)], {"I": "participants"})
    assert shown[0]["actual"] == "< 15"


def test_training_figures_of_a_view():
    """The training page's people: sessions against the attendances, breakdowns against the view's
    total, participant-hours withheld where a session is hidden, the women share from published
    sex totals only."""
    sessions = pd.DataFrame({"code": ["A", "B", "C"], "participants": [2, 3, 8],
                             "kind": ["training", "training", "workshop"], "theme": ["a", "a", None],
                             "hours": [2.0, 4.0, 3.0]})
    summary = {"sessions": 3, "attendances": 13, "participants": 13, "organisations": 2,
               "participant_hours": 2 * 2.0 + 3 * 4.0 + 8 * 3.0, "repeat_participants": 0,
               "women_share": 0.5, "unknown_sex_share": 0.0}
    found = found_of([("F", "<25", 2), ("F", "25-34", 5), ("M", "<25", 4), ("M", "25-34", 2)],
                     kind=[("training", 5, 16.0), ("workshop", 8, 24.0)], theme=[("a", 5, 16.0), (None, 8, 24.0)],
                     org=[("ngo", 9), ("other", 4)], country=[("MLI", 2), ("SEN", 11)],
                     months=[(2022, 3, 2), (2022, 4, 11)])
    table = dc.programme_table({"MLI": 2, "SEN": 11, T: 13}, found)
    d = dc.training(summary, found, sessions, table)
    assert d["sessions"] == ["< 5", "< 5", 8]  # 2 + 3 = 13 - 8: each could be 1 to 4
    assert d["country"] == {"MLI": "< 5", "SEN": "n.d."}
    assert d["kind"] == [5, 8] and d["kind_hours"] == [NOT_DISCLOSED, 24.0]
    assert d["theme_hours"] == [NOT_DISCLOSED, 24.0]
    assert d["organisation_type"] == ["n.d.", "< 5"]
    h = d["headline"]
    assert h["participants"] == 13 and h["attendances"] == 13 and h["participant_hours"] == NOT_DISCLOSED
    # F: 2 and 5 -> "< 5" and its complement; M: 4 and 2 both small (4 + 2 = 6 leaves 2 to 4)
    assert d["sex_age"]["<25"]["F"] == "< 5" and d["sex_age"]["25-34"]["F"] == "n.d."
    assert d["sex_age"]["<25"]["M"] == "< 5" and d["sex_age"]["25-34"]["M"] == "< 5"
    assert d["sex_age"][""]["F"] == 0
    assert h["women_share"] == 7 / 13 and h["unknown_sex_share"] == 0.0  # sex totals 7 and 6 published
    assert d["reached"] == [None, 13]


def test_a_session_count_is_the_same_in_every_country_selection():
    """Sessions are protected against the programme's attendances: a selection of one country
    shows its sessions as the whole programme does, and its attendances only when all of them
    are published (else 11 - 8 would give the 3 of session B)."""
    every = pd.DataFrame({"code": ["A", "B", "C"], "participants": [2, 3, 8], "kind": ["t", "w", "t"],
                          "theme": ["a", "a", "b"], "hours": [2.0, 3.0, 4.0]})
    sen = every.iloc[1:].reset_index(drop=True)
    summary = {"sessions": 2, "attendances": 11, "participants": 11, "organisations": 1,
               "participant_hours": 41.0, "repeat_participants": 0}
    found = found_of([("F", "<25", 11)], kind=[("t", 8, 32.0), ("w", 3, 9.0)], theme=[("a", 3, 9.0), ("b", 8, 32.0)],
                     country=[("SEN", 11)], months=[(2022, 4, 11)])
    table = dc.programme_table({"MLI": 2, "SEN": 11, T: 13}, found_of([("F", "<25", 13)]))
    d = dc.training(summary, found, sen, table, ("SEN",), every)
    assert d["sessions"] == ["< 5", 8]  # as in the programme's view (2 + 3 = 13 - 8 is safe there)
    assert d["headline"]["attendances"] == NOT_DISCLOSED and d["headline"]["participants"] == NOT_DISCLOSED
    assert d["country"] == {"SEN": NOT_DISCLOSED}  # the programme's table: 13 - 11 would give Mali's 2
    # the view's total is withheld: no breakdown may add up to it again (8 + 3, or the one sex x
    # age cell of 11), else 13 - 11 gives Mali's 2 back
    assert d["kind"] == [NOT_DISCLOSED, "< 5"] and d["theme"] == ["< 5", NOT_DISCLOSED]
    assert d["sex_age"]["<25"]["F"] == NOT_DISCLOSED and d["sex_age"][""]["M"] == 0
    assert d["reached"] == [None] and d["headline"]["women_share"] is None


def test_a_hidden_margin_does_not_free_its_cells_when_the_grand_total_ties_them():
    """F: <25 1, 25-34 5 (total 6); M: not recorded 1, 35-49 5 (total 6); sex not recorded 1;
    13 in all. Line by line, hiding the F and M totals looks enough; but 13 = (x + 5) + (y + z) + u
    with x, y, u from 1 to 4 and z >= 5 forces x = y = u = 1: the cells and the total must go."""
    cells = {("<25", "F"): 1, ("25-34", "F"): 5, ("", "M"): 1, ("35-49", "M"): 5, ("", ""): 1}
    sexes = ("F", "M", "")
    values = {**cells, **{("sex", s): sum(v for (b, x), v in cells.items() if x == s) for s in sexes}, T: 13}
    relations = [(T, [("sex", s) for s in sexes])] + [(("sex", s), [k for k in cells if k[1] == s]) for s in sexes]
    line_by_line = {**{k: dc.mark(SMALL) if v < 5 else v for k, v in cells.items()},
                    ("sex", "F"): "n.d.", ("sex", "M"): "n.d.", ("sex", ""): "< 5", T: 13}
    line_by_line[("35-49", "M")] = "n.d."
    assert pinned(line_by_line, relations, cap=14) == {("<25", "F"): 1, ("", "M"): 1, ("", ""): 1, ("sex", ""): 1}
    state = dc.protect(values, relations)
    shown = published(values, state)
    assert not pinned(shown, relations, cap=14)
    # 13 - 5 - 5 = 3 small people in three cells: with 13 published no complement protects them
    assert shown[("25-34", "F")] == "n.d." and shown[("35-49", "M")] == "n.d." and shown[T] == "n.d."
