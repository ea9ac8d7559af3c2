"""The Synthèse grid (issues #14 and #17): one figure per cell, the sidebar's countries and as-of
date, figures equal to ``kpis``' ``countries`` block from grouped queries whose number does not
grow with the number of programmes; and the two status counts (indicators at programme level,
country × indicator rows), named the same way on the Synthèse, the progress page and the pack."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from apptest import database, open_page
from dashboard import grid
from dashboard import kpis as k
from dashboard.importer import import_workbook
from workbooks import good_workbook

D = dt.date


def second_programme(code: str = "P2") -> dict[str, list[dict]]:
    """A programme in Senegal whose latest fact is 2022-03-31 (so its default as-of differs from
    P1's, 2022-06-30): a 1 000 € line with 200 € spent on 2022-03-01, and one indicator J1 (target
    100 at the end, 30 measured by 2022-03-31)."""
    return {
        "programmes": [{"code": code, "name": f"Programme {code}", "start_date": D(2022, 1, 1),
                        "end_date": D(2023, 1, 1)}],
        "logframe": [{"programme_code": code, "code": "OG", "level": "goal", "title": "But"},
                     {"programme_code": code, "code": "OS1", "level": "objective", "parent_code": "OG",
                      "title": "Objectif"},
                     {"programme_code": code, "code": "R1", "level": "result", "parent_code": "OS1",
                      "title": "Résultat"}],
        "indicators": [{"programme_code": code, "code": "J1", "logframe_code": "R1", "label": "Radios",
                        "unit": "count"}],
        "targets": [{"programme_code": code, "indicator_code": "J1", "country_iso3": "SEN",
                     "period_end": D(2023, 1, 1), "target": 100}],
        "measurements": [{"programme_code": code, "indicator_code": "J1", "country_iso3": "SEN",
                          "period_end": D(2022, 3, 31), "value": 30, "source": "rapport"}],
        "budget_lines": [{"programme_code": code, "code": "M1", "country_iso3": "SEN", "category": "activities",
                          "label": "Émissions", "amount": 1000, "currency": "EUR"}],
        "expenditures": [{"programme_code": code, "reference": f"{code}-E1", "budget_line_code": "M1",
                          "date": D(2022, 3, 1), "amount": 200, "currency": "EUR"}],
    }


def programmes_db(tmp_path, monkeypatch, extra: int = 1, name: str = "app.db"):
    """P1 (tests/workbooks.py) and ``extra`` copies of :func:`second_programme` (P2, P3, ...)."""
    return database(tmp_path, monkeypatch, good_workbook(),
                    *(second_programme(f"P{i}") for i in range(2, 2 + extra)), name=name)


def _grid(at):
    return next(d.value for d in at.dataframe if d.value.index.name == "Pays")


# --- the figures: grouped queries = kpis ---------------------------------------------------------

def _same(expected: dict, got: dict, where) -> None:
    assert set(got) == set(expected), where
    for iso3, figures in expected.items():
        for key, value in figures.items():
            if isinstance(value, float):
                assert got[iso3][key] == pytest.approx(value, rel=1e-9, abs=1e-9), (where, iso3, key)
            else:
                assert got[iso3][key] == value, (where, iso3, key)


def test_grouped_grid_equals_the_countries_block_of_kpis_for_every_programme(engine, demo_workbooks):
    for wb in demo_workbooks:
        assert import_workbook(engine, wb).ok
    with engine.connect() as conn:
        codes = list(conn.execute(sa.text("SELECT code FROM programmes")).scalars())
        assert len(codes) >= 3
        defaults = k.default_as_of_many(conn, codes)
        assert defaults == {code: k.default_as_of(conn, code) for code in codes}
        assert len(set(defaults.values())) > 1  # the programmes are read at different dates
        for dates in (defaults, {code: D(2022, 12, 31) for code in codes}, {code: D(2021, 3, 1) for code in codes}):
            blocks = grid.country_blocks(conn, dates)
            assert sorted(blocks) == sorted(codes)
            for code in codes:
                _same(k.compute_kpis(conn, code, dates[code])["countries"], blocks[code], (code, dates[code]))


def test_the_grids_computed_figures_in_parts_are_the_whole_on_both_databases(engine, demo_workbooks):
    """The page reads the computed indicators in two parts at once (``data.COMPUTED_PARTS``): the
    parts cover every kind an indicator may count, once each, and together give what one query
    gives, at three dates."""
    from dashboard.importer.spec import COMPUTED_FROM
    from dashboard.ui.data import COMPUTED_PARTS

    assert sorted(kind for part in COMPUTED_PARTS for kind in part) == sorted(COMPUTED_FROM)
    for wb in demo_workbooks:
        assert import_workbook(engine, wb).ok
    with engine.connect() as conn:
        codes = list(conn.execute(sa.text("SELECT code FROM programmes")).scalars())
        kinds = set(conn.execute(sa.text("SELECT computed_from FROM indicators WHERE computed_from IS NOT NULL"))
                    .scalars())
        assert len(kinds) >= 2  # the demo counts more than one kind: each part holds some figures
        for when in (k.default_as_of_many(conn, codes), {c: D(2022, 12, 31) for c in codes},
                     {c: D(2021, 3, 1) for c in codes}):
            whole = grid.computed_figures(conn, when)
            parts = [grid.computed_figures(conn, when, part) for part in COMPUTED_PARTS]
            assert {key: figure for part in parts for key, figure in part.items()} == whole
            assert sum(len(part) for part in parts) == len(whole)  # no key in two parts


def test_the_grid_reads_each_programme_at_the_pages_default_date(tmp_path, monkeypatch):
    """The grid's default dates (one query for every programme) are the sidebar's
    (``data.default_as_of``, one programme at a time): if one rule changes, so must the other."""
    from dashboard.ui import data

    programmes_db(tmp_path, monkeypatch, extra=2)
    codes = ("P1", "P2", "P3")
    assert data.default_as_of_many(codes) == {code: data.default_as_of(code) for code in codes}


def test_grouped_grid_by_hand(tmp_path, monkeypatch):
    engine = programmes_db(tmp_path, monkeypatch)
    with engine.connect() as conn:
        dates = k.default_as_of_many(conn, ["P1", "P2"])
        # P1: latest fact = the measurement of 2022-06-30; P2: the measurement of 2022-03-31
        assert dates == {"P1": D(2022, 6, 30), "P2": D(2022, 3, 31)}
        blocks = grid.country_blocks(conn, dates)
        sen = blocks["P2"]["SEN"]
        # 200 of 1 000 € spent: 20 %; elapsed 89 / 365: burn 0.2 / 0.2438 = 0.82, on track
        # (underspend needs elapsed >= 25 %); J1: 30 of 100 -> achievement 30 %
        assert sen["execution"] == pytest.approx(0.2)
        assert sen["burn_index"] == pytest.approx(0.2 / (89 / 365))
        assert sen["status"] == "on_track" and sen["progress"] == pytest.approx(0.3)
        # P1 (tests/test_app_overview.py): SEN 1 200 of 1 000 €, I1 4 of 10 -> 40 %; GIN no indicator
        assert blocks["P1"]["SEN"]["execution"] == pytest.approx(1.2)
        assert blocks["P1"]["SEN"]["progress"] == pytest.approx(0.4)
        assert blocks["P1"]["GIN"]["progress"] is None
        assert blocks["P1"]["SEN"]["participants"] == 2
        # at 2022-03-31 for both: P1's measurement (2022-06-30) is not yet there; P2 unchanged;
        # P1 SEN spent 1 234,56 € by then (the credit note is of 2 May)
        early = grid.country_blocks(conn, {"P1": D(2022, 3, 31), "P2": D(2022, 3, 31)})
        assert early["P1"]["SEN"]["progress"] is None
        assert early["P1"]["SEN"]["execution"] == pytest.approx(1.23456)
        assert early["P1"]["SEN"]["participants"] == 0  # S1 starts on 2022-04-01
        # at 2022-06-30 P2 has spent 20 % in 180 / 365 of the time: burn 0.41 < 0.80, underspend
        late = grid.country_blocks(conn, {"P1": D(2022, 6, 30), "P2": D(2022, 6, 30)})
        assert late["P2"]["SEN"]["status"] == "underspend"


# --- the page: one figure per cell, the sidebar's countries and date -----------------------------

def test_grid_shows_progress_only_each_programme_at_its_own_default_date_said_in_its_column(tmp_path, monkeypatch):
    programmes_db(tmp_path, monkeypatch)
    at = open_page(None)
    shown = _grid(at)
    # no date chosen (P1's default): each programme at its own default date, in its column head
    assert shown.to_dict() == {"P1 (au 30 juin 2022)": {"Guinée": "—", "Sénégal": "40\u00a0%"},
                               "P2 (au 31 mars 2022)": {"Guinée": "", "Sénégal": "30\u00a0%"}}
    assert any("chaque programme est lu à sa propre date par défaut" in c.value for c in at.caption)


def test_grid_follows_an_explicit_as_of_date_and_the_country_filter(tmp_path, monkeypatch):
    programmes_db(tmp_path, monkeypatch)
    at = open_page(None, as_of="2022-03-31")
    # P1's indicator is measured on 2022-06-30 only: no progress yet in Senegal at 2022-03-31
    assert _grid(at).to_dict() == {"P1": {"Guinée": "—", "Sénégal": "—"}, "P2": {"Guinée": "", "Sénégal": "30\u00a0%"}}
    assert any("Tous les programmes sont lus au 31 mars 2022." in c.value for c in at.caption)
    at = open_page(None, as_of="2022-07-31", countries="SEN")
    assert _grid(at).to_dict() == {"P1": {"Sénégal": "40\u00a0%"}, "P2": {"Sénégal": "30\u00a0%"}}
    # the headline (P1, Senegal, 2022-07-31) and P1's cell say the same
    assert {m.label: m.value for m in at.metric}["Progrès du cadre logique"] == "40\u00a0%"


def test_grid_budget_status_is_its_own_view(tmp_path, monkeypatch):
    programmes_db(tmp_path, monkeypatch)
    at = open_page(None, as_of="2022-07-31")
    at.segmented_control(key="ov_grid_metric").set_value("status").run()
    # 2022-07-31, elapsed 211 / 365 = 0.578: P1 SEN 1 200 spent of 1 000 €, over budget; GIN
    # 0.1 / 0.578 = 0.17 underspend; P2 SEN 0.2 / 0.578 = 0.35 underspend
    assert _grid(at).to_dict() == {"P1": {"Guinée": "sous-consommation", "Sénégal": "budget dépassé"},
                                        "P2": {"Guinée": "", "Sénégal": "sous-consommation"}}
    at.segmented_control(key="ov_grid_metric").set_value("execution").run()
    assert _grid(at).to_dict() == {"P1": {"Guinée": "10\u00a0%", "Sénégal": "120\u00a0%"},
                                   "P2": {"Guinée": "", "Sénégal": "20\u00a0%"}}


# --- the number of queries does not grow with the programmes --------------------------------------

def _queries_of_a_cold_overview() -> int:
    count = 0

    def counted(*_args, **_kwargs):
        nonlocal count
        count += 1

    sa.event.listen(Engine, "before_cursor_execute", counted)
    try:
        open_page(None, programme="P1")
    finally:
        sa.event.remove(Engine, "before_cursor_execute", counted)
    return count


def test_a_cold_overview_runs_as_many_queries_for_6_programmes_as_for_2(tmp_path, monkeypatch):
    (tmp_path / "two").mkdir()
    programmes_db(tmp_path / "two", monkeypatch, extra=1)
    two = _queries_of_a_cold_overview()
    (tmp_path / "six").mkdir()
    programmes_db(tmp_path / "six", monkeypatch, extra=5)  # clears the caches: a cold render again
    six = _queries_of_a_cold_overview()
    assert two == six


# --- the two status counts ---------------------------------------------------------------------

def _counts(at) -> list[tuple[str, str]]:
    """(name, badges) pairs as a page writes them: a caption naming the count, then its badges."""
    elements = list(at.main)
    found = []
    for i, e in enumerate(elements[:-1]):
        if e.type == "caption" and e.value in ("Indicateurs (niveau programme)", "Lignes pays × indicateur"):
            found.append((e.value, elements[i + 1].value))
    return found


def test_the_two_status_counts_by_hand_on_the_overview_and_the_progress_page(tmp_path, monkeypatch):
    database(tmp_path, monkeypatch, good_workbook())
    # P1 at 2022-06-30: I1 is behind in Senegal (4 for 4.93 expected) and so is its roll-up; I2
    # (regional) is behind: 2 indicators behind at programme level, 1 country × indicator row.
    programme = ("Indicateurs (niveau programme)", ":red-badge[en retard : 2]")
    country = ("Lignes pays × indicateur", ":red-badge[en retard : 1]")
    assert _counts(open_page(None)) == [programme, country]
    # the progress page: the programme card, then one card per country (Guinea has no row, then
    # Senegal), whose country × indicator rows add up to the Synthèse's
    assert _counts(open_page("progress")) == [
        programme, ("Lignes pays × indicateur", "Aucune ligne d'indicateur."), country]
    # the alerts list the same rows under the same names
    assert any(m.value.endswith("Indicateurs (niveau programme) : 2 ; Lignes pays × indicateur : 1**")
               for m in open_page(None).markdown)
    # filtered to Senegal: the country's rows only, on both pages
    assert _counts(open_page(None, countries="SEN")) == [country]
    assert _counts(open_page("progress", countries="SEN")) == [country]


# --- funders: the programmes they fund only, small cells disclosed --------------------------------

def test_a_funder_grid_shows_only_the_programmes_it_funds_with_small_counts_hidden(tmp_path, monkeypatch):
    import io

    import pandas as pd

    from dashboard import auth
    from dashboard.ui import widgets

    engine = programmes_db(tmp_path, monkeypatch)  # AFD funds P1 (grant G1), nobody funds P2
    auth.add_user(engine, "bailleur@test.invalid", "funder", "correct horse battery", funder="AFD")
    files = {}
    original = widgets.downloads

    def record(frame, name, lang, key, sheet=None, kinds=None):
        files[key] = pd.read_csv(io.BytesIO(widgets.to_csv(frame, lang, kinds)), encoding="utf-8-sig", dtype=str,
                                 sep=";")
        original(frame, name, lang, key, sheet, kinds)

    monkeypatch.setattr(widgets, "downloads", record)
    at = open_page(None, as_user="bailleur@test.invalid", as_of="2022-07-31")
    assert _grid(at).to_dict() == {"P1": {"Guinée": "—", "Sénégal": "40\u00a0%"}}
    cells = files["grid"].set_index("Pays")  # the page's words: French headers and country names
    assert list(cells["Programme"]) == ["P1", "P1"]
    assert cells.loc["Sénégal", "Progrès du cadre logique (%)"] == "40"
    assert cells.loc["Sénégal", "Au"] == "31/07/2022"
    # the grid shows one figure: the download holds it, and no count of people
    assert list(cells.columns) == ["Programme", "Au", "Progrès du cadre logique (%)"]


def test_the_pack_names_and_counts_them_as_the_pages_do(tmp_path, monkeypatch):
    from test_pack import BOARD, text_of

    from dashboard import pack
    from dashboard.ui import data

    database(tmp_path, monkeypatch, good_workbook())
    text = text_of(pack.build(data.engine(), BOARD, "P1", None, (), "fr").data)
    # the headline table, the progress cards and the alerts: 2 indicators and 1 country row behind
    assert "Indicateurs (niveau programme) — en retard : 2 ; Lignes pays × indicateur — en retard : 1" in text
    assert "En retard (rythme < 85 % de l'attendu) — Indicateurs (niveau programme) : 2 ; " \
           "Lignes pays × indicateur : 1" in text


def test_an_ended_programme_is_read_on_its_last_day_in_the_grid_as_on_its_pages(tmp_path, monkeypatch):
    """P2 ends on 2022-03-15 but its latest fact is the measurement of 2022-03-31: its pages open
    on 2022-03-15 (data.default_as_of), and so does its column of the grid."""
    from dashboard.ui import data

    ended = second_programme("P2")
    ended["programmes"][0]["end_date"] = D(2022, 3, 15)
    database(tmp_path, monkeypatch, good_workbook(), ended)
    assert data.default_as_of_many(("P1", "P2")) == {"P1": D(2022, 6, 30), "P2": D(2022, 3, 15)}
    at = open_page(None)
    # by 2022-03-15 P2 has spent 200 € but measured nothing yet (J1 is measured on 2022-03-31)
    assert _grid(at)["P2 (au 15 mars 2022)"].to_dict() == {"Guinée": "", "Sénégal": "—"}
