"""The country-progress page shows every indicator row of ``kpis`` (per country, regional and
roll-up) with exactly its figures, the ``countries`` block in its cards and on its map, a picker
synced with the sidebar, suppression for funders, and an explanation for an empty programme."""
from __future__ import annotations

import datetime as dt

import pytest

from apptest import ADMIN, PASSWORD, STATUS_FR, database, metrics, open_page, page_as_of
from dashboard import auth, maps
from dashboard import progress as pg
from dashboard.db import query, records
from dashboard.i18n import country_name, fmt_number, fmt_percent
from dashboard.kpis import compute_kpis
from pagecharts import decks, figure, layer, same, table, values
from workbooks import good_workbook

FUNDER = "bailleur@test.invalid"


@pytest.fixture
def app(tmp_path, monkeypatch, demo_workbooks):
    return database(tmp_path, monkeypatch, *demo_workbooks)


def _kpis(engine, programme, as_of=None):
    with engine.connect() as conn:
        return compute_kpis(conn, programme, page_as_of(conn, programme, as_of))


def _logframe(engine, programme):
    with engine.connect() as conn:
        return (records(query(conn, "logframe_nodes", programme=programme)),
                records(query(conn, "indicators", programme=programme)))


def _where(row):
    if row["country"]:
        return country_name(row["country"], "fr")
    return "ensemble du programme" if row["rollup"] else "Régional / siège"


def _indicator_rows(at):
    tree = table(at, "Cadre logique")
    return tree[tree["Indicateur"] != ""]


def assert_rows_match(shown, expected):
    """The table's indicator rows are exactly ``expected`` (kpis rows): the same set, the same
    figures, and for each indicator the kpis order (roll-up, regional, countries)."""
    assert len(shown) == len(expected)
    keyed = {(r["code"], _where(r)): r for r in expected}
    assert len(keyed) == len(expected)
    seen = []
    for _, s in shown.iterrows():
        row = keyed[(s["Indicateur"], s["Périmètre"])]
        seen.append((s["Indicateur"], s["Périmètre"]))
        for column, key in (("Référence", "baseline"), ("Cible finale", "target"), ("Attendu à date", "expected"),
                            ("Réalisé", "actual")):
            assert s[column] == pg.figure_text(row[key], "fr"), (row, column, s[column])
        compared = row["status"] not in ("non_reporting", "not_due")  # never shown as 0 %
        # the bar: the exact achievement, in percentage points
        assert same(s["Réalisation"], 100 * row["achievement"] if compared else None, 1e-7), row
        assert s["Rythme"] == fmt_percent(row["pace"] if compared else None, "fr"), row
        assert s["État"] == STATUS_FR[row["status"]]
    for code in {c for c, _ in seen}:
        assert [w for c, w in seen if c == code] == [_where(r) for r in expected if r["code"] == code]


CASES = [("PCRPM-C2", None), ("PCRPM-C2", "2022-06-30"), ("LT-PAIRS", None), ("UNSEEN-X", "2024-03-15"),
         ("UNSEEN-X", "2025-06-30"), ("UNSEEN-X", "2026-09-30")]


@pytest.mark.parametrize("programme,as_of", CASES)
def test_progress_page_shows_every_indicator_row_of_kpis(app, programme, as_of):
    at = open_page("progress", programme=programme, **({"as_of": as_of} if as_of else {}))
    k = _kpis(app, programme, as_of)
    assert_rows_match(_indicator_rows(at), k["indicators"])

    # cards: the programme's progress and each country's, people trained there, budget execution
    shown = metrics(at)
    assert shown["Ensemble du programme"] == fmt_percent(k["progress"], "fr")
    for iso3, c in k["countries"].items():
        assert shown[country_name(iso3, "fr")] == fmt_percent(c["progress"], "fr")
    captions = [c.value for c in at.caption]
    for c in k["countries"].values():
        assert f"Personnes formées dans le pays : {fmt_number(c['participants'], 'fr')}" in captions
        assert any(cap.startswith(f"Budget exécuté : {fmt_percent(c['execution'], 'fr')}") for cap in captions)
    badges = " ".join(m.value for m in at.markdown)
    for status, n in next(iter(k["countries"].values()))["statuses"].items():
        assert f"{STATUS_FR[status]} : {n}]" in badges

    # the choropleth: each programme country coloured by its progress class, grey without one
    (deck,) = decks(at)
    assert "mapProvider" not in deck and deck["mapStyle"] == "__MAP_STYLE__"
    fills = {f["properties"]["iso3"]: f["properties"]["fill"] for f in layer(deck, "progress")["data"]["features"]}
    for iso3, c in k["countries"].items():
        assert fills[iso3] == maps.rgba(maps.progress_colour(c["progress"]))
    # the other countries: the world's outlines in the background colour, fetched from the app's route
    assert "BRA" not in fills and set(fills) == set(k["countries"])
    world = layer(deck, "world")
    assert world["data"] == maps.shapes_url() and world["getFillColor"] == maps.rgba(maps.BACKGROUND)

    # the heatmap: results x countries, each cell the progress of the result's rows there
    nodes, defs = _logframe(app, programme)
    matrix = pg.result_matrix(k["indicators"], defs, nodes)
    heat = figure(at, "Progrès par résultat et par pays")["data"][1]
    # drawn with the countries as rows and the results as columns
    z = [values(line) for line in heat["z"]]
    results = list(dict.fromkeys(m["result"] for m in matrix))
    columns = list(dict.fromkeys(m["column"] for m in matrix))
    assert heat["x"] == results and len(z) == len(columns)
    assert [same(z[columns.index(m["column"])][results.index(m["result"])], m["progress"]) for m in matrix] \
        == [True] * len(matrix)
    assert heat["y"][-1] == "ensemble du<br>programme"


def test_the_programme_column_of_the_heatmap_matches_the_programme_rows(app):
    """Cross-check on the demo: a result whose rows are all roll-up rows that report has, in the
    "whole programme" column, the mean of their clamped achievements."""
    at = open_page("progress", programme="PCRPM-C2")
    k = _kpis(app, "PCRPM-C2")
    heat = figure(at, "Progrès par résultat et par pays")["data"][1]
    whole = values(heat["z"][-1])  # the last row: the whole programme
    # R1.1 has one indicator, I-A1.1.1 (7 cartographies): its roll-up row
    rollup = next(r for r in k["indicators"] if r["code"] == "I-A1.1.1" and r["rollup"])
    assert whole[heat["x"].index("R1.1")] == pytest.approx(min(max(rollup["achievement"], 0), 1))


def test_the_picker_follows_the_sidebar_and_drives_it(app):
    at = open_page("progress", programme="PCRPM-C2", countries="SEN")
    k = _kpis(app, "PCRPM-C2")
    assert at.selectbox(key="progress_country").value == "SEN"
    assert_rows_match(_indicator_rows(at), [r for r in k["indicators"] if r["country"] == "SEN"])
    assert list(metrics(at)) == ["Sénégal"]  # the chosen country's card only

    at.selectbox(key="progress_country").set_value("MLI").run()
    assert not at.exception
    assert at.multiselect(key="countries").value == ["MLI"]  # the sidebar follows,
    assert at.query_params["countries"] == "MLI"  # and so does the shared link
    assert_rows_match(_indicator_rows(at), [r for r in k["indicators"] if r["country"] == "MLI"])

    at.selectbox(key="progress_country").set_value("").run()
    assert "countries" not in at.query_params
    assert len(_indicator_rows(at)) == len(k["indicators"])


def test_several_countries_in_the_sidebar_default_the_picker_to_all(app):
    at = open_page("progress", programme="PCRPM-C2", countries="SEN,MLI")
    assert at.selectbox(key="progress_country").value == ""
    assert len(_indicator_rows(at)) == len(_kpis(app, "PCRPM-C2")["indicators"])


def test_the_rule_and_the_logframe_tree_are_shown(app):
    at = open_page("progress", programme="PCRPM-C2")
    captions = " ".join(c.value for c in at.caption)
    assert "entre 85\u00a0% et 115\u00a0% (±15\u00a0%)" in captions
    assert "ne comptent jamais pour 0 %" in captions
    tree = table(at, "Cadre logique")
    nodes = [label for label, code in zip(tree["Cadre logique"], tree["Indicateur"]) if not code]
    # the tree, indented by level: goal, objective, its first result, that result's activity
    assert [n.split(" — ")[0] for n in nodes[:4]] == ["OG", "\u2003OS1", "\u2003\u2003R1.1", "\u2003\u2003\u2003A1.1.1"]
    assert tree["Cadre logique"].iloc[1] == "\u2003▸ " + next(
        d["label"] for d in _logframe(app, "PCRPM-C2")[1] if d["code"] == "I-OG")
    assert "Made with Natural Earth" in captions


def test_a_funder_sees_small_counts_of_people_as_less_than_five(tmp_path, monkeypatch):
    engine = database(tmp_path, monkeypatch, good_workbook())
    auth.add_user(engine, FUNDER, "funder", PASSWORD, funder="AFD")
    at = open_page("progress", as_user=FUNDER, programme="P1")
    rows = _indicator_rows(at)
    i2 = rows[rows["Indicateur"] == "I2"].iloc[0]  # regional, computed from participants: 2 people
    assert i2["Réalisé"] == "< 5" and same(i2["Réalisation"], None) and i2["Rythme"] == "—"
    assert i2["État"] == "en retard"  # the status itself is not a count
    i1 = rows[(rows["Indicateur"] == "I1") & (rows["Périmètre"] == "Sénégal")].iloc[0]
    assert i1["Réalisé"] == "4"  # measured organisations, not people: shown
    assert "Personnes formées dans le pays : < 5" in [c.value for c in at.caption]


def test_progress_page_explains_what_is_missing_for_an_empty_programme(tmp_path, monkeypatch):
    database(tmp_path, monkeypatch, {"programmes": [{"code": "VIDE", "name": "Programme vide",
                                                     "start_date": dt.date(2025, 1, 1),
                                                     "end_date": dt.date(2026, 12, 31)}]})
    at = open_page("progress", programme="VIDE")
    assert any("pas encore d'indicateur" in i.value and "logframe, indicators et targets" in i.value
               for i in at.info)
    assert not at.get("plotly_chart") and not at.get("deck_gl_json_chart")


def test_progress_page_speaks_english(app):
    at = open_page("progress", programme="LT-PAIRS", lang="en")
    k = _kpis(app, "LT-PAIRS")
    assert metrics(at)["Whole programme"] == fmt_percent(k["progress"], "en")
    tree = table(at, "Logframe")
    assert len(tree[tree["Indicator"] != ""]) == len(k["indicators"])
    assert figure(at, "Progress by result and country")


def test_the_cached_page_keeps_small_cells_for_the_funder_only(tmp_path, monkeypatch):
    """The page's model is cached per programme, date, picker, language and scoped.View: an admin
    and a funder (small cells suppressed) opening the same programme in one process each get
    their own figures, whoever opens it first."""
    engine = database(tmp_path, monkeypatch, good_workbook())
    auth.add_user(engine, FUNDER, "funder", PASSWORD, funder="AFD")
    # I2: regional, computed from participants, 2 people, target 20; Sénégal: 2 people trained.
    seen = {ADMIN: ("2", 10.0, "20\u00a0%", "2"), FUNDER: ("< 5", None, "—", "< 5")}
    for user in (ADMIN, FUNDER, ADMIN, FUNDER):
        at = open_page("progress", as_user=user, programme="P1")
        rows = _indicator_rows(at)
        i2 = rows[rows["Indicateur"] == "I2"].iloc[0]
        actual, achievement, pace, people = seen[user]
        assert (i2["Réalisé"], i2["Rythme"]) == (actual, pace), user
        assert same(i2["Réalisation"], achievement), user
        assert f"Personnes formées dans le pays : {people}" in [c.value for c in at.caption], user


def test_the_cached_page_keeps_a_country_scoped_account_to_its_countries(app):
    """A manager scoped to Senegal and an admin who picked Senegal ask for the same model but for
    their scoped.View: the admin's heatmap and map cover the programme, the manager's Senegal only."""
    auth.add_user(app, "gestion@forim.test", "manager", PASSWORD, ["PCRPM-C2"], ["SEN"])
    for user in ("gestion@forim.test", ADMIN, "gestion@forim.test"):
        at = open_page("progress", as_user=user, programme="PCRPM-C2",
                       **({"countries": "SEN"} if user == ADMIN else {}))
        assert list(metrics(at)) == ["Sénégal"]  # the picked country's card, for both
        heat = figure(at, "Progrès par résultat et par pays")["data"][1]
        (deck,) = decks(at)
        coloured = {f["properties"]["iso3"] for f in layer(deck, "progress")["data"]["features"]}
        if user == ADMIN:
            assert heat["y"][-1] == "ensemble du<br>programme" and {"SEN", "MLI"} <= coloured
        else:
            assert list(heat["y"]) == ["Sénégal"] and coloured == {"SEN"}
