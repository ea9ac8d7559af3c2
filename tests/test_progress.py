"""The country-progress page's data: the logframe tree with the indicator rows under their node,
results x countries progress worked out by hand, and suppression of rows that count people."""
from __future__ import annotations

import pytest

from dashboard import progress as pg

NODES = [  # given out of order, with codes that sort differently as text and as numbers
    {"code": "R1.10", "level": "result", "parent_code": "OS1", "title": "Dixième résultat"},
    {"code": "A1.2.1", "level": "activity", "parent_code": "R1.2", "title": "Activité"},
    {"code": "OS1", "level": "objective", "parent_code": "OG", "title": "Objectif"},
    {"code": "R1.2", "level": "result", "parent_code": "OS1", "title": "Deuxième résultat"},
    {"code": "OG", "level": "goal", "parent_code": None, "title": "But"},
    {"code": "A2.1", "level": "activity", "parent_code": "OS1", "title": "Activité sous l'objectif"},
]
DEFS = [
    {"code": "I-OG", "logframe_code": "OG", "label": "But atteint", "unit": "count", "computed_from": None},
    {"code": "I-A", "logframe_code": "A1.2.1", "label": "Ateliers", "unit": "count", "computed_from": "sessions"},
    {"code": "I-R", "logframe_code": "R1.10", "label": "Taux", "unit": "percent", "computed_from": None},
    {"code": "I-P", "logframe_code": "A2.1", "label": "Personnes", "unit": "count", "computed_from": "participants"},
]


def _row(code, country, achievement, status="on_track", rollup=False, **more):
    return {"code": code, "country": country, "rollup": rollup, "baseline": 0.0, "target": 10.0,
            "expected": 5.0, "actual": 5.0, "achievement": achievement, "pace": 1.0, "status": status, **more}


def test_the_tree_is_depth_first_with_siblings_in_numeric_order():
    assert [(n["code"], n["depth"]) for n in pg.tree(NODES)] == [
        ("OG", 0), ("OS1", 1), ("A2.1", 2), ("R1.2", 2), ("A1.2.1", 3), ("R1.10", 2)]


def test_indicator_rows_sit_under_their_node_in_the_kpis_order():
    rows = [_row("I-A", None, 1.0, rollup=True), _row("I-A", "MLI", 1.0), _row("I-A", "SEN", 0.5),
            _row("I-OG", None, None, status="non_reporting")]
    entries = pg.table_rows(NODES, rows, DEFS)
    shape = [(e["kind"], e["code"], e.get("country"), e["depth"]) for e in entries]
    assert shape == [
        ("node", "OG", None, 0), ("indicator", "I-OG", None, 1), ("node", "OS1", None, 1),
        ("node", "A2.1", None, 2), ("node", "R1.2", None, 2), ("node", "A1.2.1", None, 3),
        ("indicator", "I-A", None, 4), ("indicator", "I-A", "MLI", 4), ("indicator", "I-A", "SEN", 4),
        ("node", "R1.10", None, 2)]
    assert entries[6]["label"] == "Ateliers" and entries[6]["node"] == "A1.2.1"


def test_non_reporting_and_not_due_rows_show_no_achievement_never_zero():
    assert pg.shown_achievement(_row("I", "SEN", 0.0, status="not_due")) is None
    assert pg.shown_pace(_row("I", "SEN", 0.0, status="not_due")) is None
    assert pg.shown_achievement(_row("I", "SEN", None, status="non_reporting")) is None
    assert pg.shown_achievement(_row("I", "SEN", 0.0, status="behind")) == 0.0


def test_a_node_belongs_to_its_nearest_result():
    assert pg.result_of("A1.2.1", NODES) == "R1.2" and pg.result_of("R1.10", NODES) == "R1.10"
    assert pg.result_of("A2.1", NODES) is None and pg.result_of("OG", NODES) is None


def test_results_by_countries_progress_by_hand():
    rows = [
        _row("I-A", None, 0.75, rollup=True),    # roll-up: programme column only
        _row("I-A", "MLI", 1.4),                 # clamped to 1
        _row("I-A", "SEN", 0.5),
        _row("I-R", None, 0.3),                  # regional: regional and programme columns
        _row("I-R", "SEN", 0.1),
        _row("I-R", "MLI", 0.9, status="not_due"),   # not due: not counted
        _row("I-OG", "SEN", 0.2),                # under the goal: in no result
        _row("I-P", "SEN", 0.8),                 # activity under an objective: in no result
    ]
    matrix = pg.result_matrix(rows, DEFS, NODES)
    cells = {(m["result"], m["column"]): (m["progress"], m["rows"]) for m in matrix}
    assert list(dict.fromkeys(m["column"] for m in matrix)) == ["MLI", "SEN", pg.REGIONAL, pg.PROGRAMME]
    assert list(dict.fromkeys(m["result"] for m in matrix)) == ["R1.2", "R1.10"]
    assert cells[("R1.2", "MLI")] == (1.0, 1)
    assert cells[("R1.2", "SEN")] == (0.5, 1)
    assert cells[("R1.2", pg.REGIONAL)] == (None, 0)
    assert cells[("R1.2", pg.PROGRAMME)] == (0.75, 1)
    assert cells[("R1.10", "MLI")] == (None, 1)  # its only row is not due: grey, not 0 %
    assert cells[("R1.10", "SEN")] == (pytest.approx(0.1), 1)
    assert cells[("R1.10", pg.REGIONAL)] == (pytest.approx(0.3), 1)
    assert cells[("R1.10", pg.PROGRAMME)] == (pytest.approx(0.3), 1)


def test_a_small_count_of_people_is_suppressed_with_the_shares_derived_from_it():
    small = _row("I-P", "SEN", 0.3, actual=3.0, target=10.0)
    hidden = pg.suppress_row(small, "participants")
    assert (hidden["actual"], hidden["achievement"], hidden["pace"]) == ("< 5", None, None)
    assert hidden["target"] == 10.0 and hidden["status"] == small["status"]
    assert pg.suppress_row({**small, "baseline": 2.0, "actual": 4.0}, "participants")["actual"] == "< 7"
    assert pg.suppress_row({**small, "actual": 5.0}, "participants")["actual"] == 5.0  # 5 is not small
    assert pg.suppress_row({**small, "actual": 0.0}, "participants")["actual"] == 0.0  # nobody: not hidden
    assert pg.suppress_row(small, "sessions") is small  # sessions are not people
    assert pg.suppress_row(small, "organisations") is small


def test_short_titles_are_cut_at_a_word():
    assert pg.short("Un titre court") == "Un titre court"
    assert pg.short("mot " * 30, 20) == "mot mot mot mot mot…"


def test_figures_are_written_in_the_language_of_the_page():
    assert pg.figure_text(14.0, "fr") == "14" and pg.figure_text(4.9315, "fr") == "4,93"
    assert pg.figure_text(1234.5, "en") == "1,234.50"
    assert pg.figure_text(None, "fr") == "—" and pg.figure_text("< 5", "fr") == "< 5"
