"""The training-reach page shows exactly the figures of ``kpis["training"]`` and of the computed
indicator rows (docs/METRICS.md), for the demo programmes and for a programme the page was not
written against; with the country filter; with small-cell suppression for a funder; and for an
empty programme."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from apptest import ADMIN, PASSWORD, STATUS_FR, database, metrics, open_page, page_as_of
from dashboard import auth, maps
from dashboard.i18n import country_name, fmt_number, fmt_percent
from dashboard.kpis import compute_kpis, rows_for
from dashboard.progress import figure_text
from pagecharts import decks, figure, layer, same, table, values
from workbooks import good_workbook

FUNDER = "bailleur@test.invalid"


@pytest.fixture
def app(tmp_path, monkeypatch, demo_workbooks):
    return database(tmp_path, monkeypatch, *demo_workbooks)


def _kpis(engine, programme, as_of, countries=None):
    with engine.connect() as conn:
        return compute_kpis(conn, programme, page_as_of(conn, programme, as_of), countries)


def _computed(engine, programme):
    from dashboard.db import query, records

    with engine.connect() as conn:
        defs = records(query(conn, "indicators", programme=programme))
    return {d["code"]: d["computed_from"] for d in defs if d["computed_from"]}


def _where(row):
    if row["country"]:
        return country_name(row["country"], "fr")
    return "ensemble du programme" if row["rollup"] else "Régional / siège"


CASES = [("PCRPM-C2", None), ("PCRPM-C2", "2022-06-30"), ("LT-PAIRS", None), ("UNSEEN-X", "2024-09-30"),
         ("UNSEEN-X", "2026-09-30")]


@pytest.mark.parametrize("programme,as_of", CASES)
def test_training_page_shows_the_kpis_figures(app, programme, as_of):
    at = open_page("training", programme=programme, **({"as_of": as_of} if as_of else {}))
    k = _kpis(app, programme, as_of)
    tr = k["training"]
    shown = metrics(at)
    assert shown["Sessions"] == fmt_number(tr["sessions"], "fr")
    assert shown["Personnes distinctes"] == fmt_number(tr["participants"], "fr")
    assert shown["Organisations distinctes"] == fmt_number(tr["organisations"], "fr")
    assert shown["Part de femmes"] == fmt_percent(tr["women_share"], "fr")
    assert shown["Heures-participant"] == fmt_number(tr["participant_hours"], "fr")
    assert shown["Participants revenus"] == fmt_number(tr["repeat_participants"], "fr")
    captions = " ".join(c.value for c in at.caption)
    assert f"sexe non renseigné : {fmt_percent(tr['unknown_sex_share'], 'fr')}" in captions
    assert f"{fmt_number(tr['attendances'], 'fr')} présences" in captions

    # the session table: one row per session, its participants add up to the attendances
    sessions = table(at, "Heures")
    assert len(sessions) == tr["sessions"]
    assert sessions["Participants"].sum() == tr["attendances"]
    assert (sessions["Participants"] * sessions["Heures"]).sum() == pytest.approx(tr["participant_hours"])

    # the charts add up to the same figures
    month = figure(at, "Sessions par mois")
    bars, line = month["data"]
    assert sum(values(bars["y"])) == tr["sessions"]
    assert values(line["y"])[-1] == tr["participants"]  # people reached so far, at the last month
    assert sum(values(figure(at, "Sessions par type")["data"][0]["x"])) == tr["sessions"]
    assert sum(values(figure(at, "Sessions par thème")["data"][0]["x"])) == tr["sessions"]
    assert sum(values(figure(at, "Organisations touchées par type")["data"][0]["x"])) == tr["organisations"]
    assert sum(v for trace in figure(at, "Participants par tranche d'âge")["data"]
               for v in values(trace["x"]) if v is not None) == tr["participants"]
    # per country: the participants of kpis["countries"] (a person counts in each country)
    by_country = figure(at, "Personnes formées par pays")["data"][0]
    per_country = dict(zip(by_country["y"], values(by_country["x"])))
    for iso3, c in k["countries"].items():
        if c["participants"]:
            assert per_country[country_name(iso3, "fr")] == c["participants"]

    # reach against the linked targets: every computed indicator row of kpis, as kpis has it
    computed = _computed(app, programme)
    expected = [r for r in rows_for(k) if r["code"] in computed]
    reach = table(at, "Compte")
    assert len(reach) == len(expected)
    for (_, shown_row), row in zip(reach.iterrows(), expected):
        assert (shown_row["Indicateur"], shown_row["Périmètre"]) == (row["code"], _where(row))
        assert shown_row["État"] == STATUS_FR[row["status"]]
        for column, key in (("Cible finale", "target"), ("Attendu à date", "expected"), ("Réalisé", "actual")):
            assert shown_row[column] == figure_text(row[key], "fr"), (row, column)
        achievement = None if row["status"] in ("non_reporting", "not_due") else row["achievement"]
        assert same(shown_row["Réalisation"], None if achievement is None else 100 * achievement, 1e-7), row


@pytest.mark.parametrize("programme,as_of", [("PCRPM-C2", None), ("UNSEEN-X", "2026-09-30")])
def test_the_map_draws_one_bubble_per_located_session_and_lists_the_others(app, programme, as_of):
    at = open_page("training", programme=programme, **({"as_of": as_of} if as_of else {}))
    sessions = table(at, "Heures")
    (deck,) = decks(at)
    world, countries, bubbles = deck["layers"]
    assert (world["@@type"], countries["@@type"], bubbles["@@type"]) == ("GeoJsonLayer", "GeoJsonLayer",
                                                                         "ScatterplotLayer")
    # the world's outlines: fetched by the browser from the app's own route (once, cached), not
    # sent in the deck's JSON; the programme's countries and the bubbles are
    assert world["data"] == maps.shapes_url() and world["pickable"] is False
    assert "mapProvider" not in deck and deck["mapStyle"] == "__MAP_STYLE__"  # no basemap, no tile server
    drawable = sessions[sessions["Pays"] != "Régional / siège"]
    regional = sessions[sessions["Pays"] == "Régional / siège"]
    unplaced = [d.value for d in at.dataframe if "Intitulé" in d.value.columns and "Heures" not in d.value.columns]
    listed = unplaced[0] if unplaced else None
    # every country session is drawn (at its coordinates or its country's centroid); regional ones
    # are drawn when they have coordinates, listed otherwise
    assert len(bubbles["data"]) + (0 if listed is None else len(listed)) == len(sessions)
    assert len(bubbles["data"]) >= len(drawable)
    assert sorted(b["participants"] for b in bubbles["data"]) == sorted(
        list(drawable["Participants"]) + [p for t_, p in zip(regional["Intitulé"], regional["Participants"])
                                          if listed is None or t_ not in set(listed["Intitulé"])])
    if listed is not None:
        assert set(listed["Intitulé"]) <= set(regional["Intitulé"])
    assert "Made with Natural Earth" in " ".join(c.value for c in at.caption)
    # unfiltered, the highlighted countries are those of kpis["countries"] (budget lines, sessions,
    # indicator rows) that have a shape; the tooltip travels beside the deck's JSON
    shapes = countries["data"]["features"]
    highlighted = {s["properties"]["iso3"] for s in shapes if s["properties"]["tooltip"]}
    known = {f["properties"]["iso_a3"] for f in maps.countries_geojson()["features"]}
    assert highlighted == {s["properties"]["iso3"] for s in shapes}  # only the programme's, each named
    assert highlighted == set(_kpis(app, programme, as_of)["countries"]) & known
    assert json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip) == {"text": "{tooltip}"}


def test_the_country_filter_restricts_the_training_figures(app):
    at = open_page("training", programme="PCRPM-C2", countries="SEN,MLI")
    k = _kpis(app, "PCRPM-C2", None, ["MLI", "SEN"])
    everything = _kpis(app, "PCRPM-C2", None)
    shown = metrics(at)
    assert shown["Personnes distinctes"] == fmt_number(k["training"]["participants"], "fr")
    assert k["training"]["participants"] < everything["training"]["participants"]
    assert shown["Sessions"] == fmt_number(k["training"]["sessions"], "fr")
    sessions = table(at, "Heures")
    assert set(sessions["Pays"]) == {"Sénégal", "Mali"} and len(sessions) == k["training"]["sessions"]
    assert set(table(at, "Compte")["Périmètre"]) <= {"Sénégal", "Mali"}


def test_a_funder_sees_small_counts_as_less_than_five(tmp_path, monkeypatch):
    engine = database(tmp_path, monkeypatch, good_workbook())
    auth.add_user(engine, FUNDER, "funder", PASSWORD, funder="AFD")
    at = open_page("training", as_user=FUNDER, programme="P1")
    shown = metrics(at)
    # P1: one session, two participants (one F, one of unknown sex)
    assert shown["Sessions"] == "1"
    assert shown["Personnes distinctes"] == "< 5"
    assert shown["Part de femmes"] == "—"  # 1 woman of 1 known: small cells, left out of the share
    assert list(table(at, "Heures")["Participants"]) == ["< 5"]
    reach = table(at, "Compte")  # I2 (regional, computed participants): 2 people
    assert list(reach["Réalisé"]) == ["< 5"] and reach["Réalisation"].isna().all()
    bubble = layer(decks(at)[0], "sessions")["data"][0]
    assert "< 5 participants" in bubble["tooltip"] and bubble["participants"] == "< 5"  # not the count
    assert any("Petits effectifs masqués" in c.value for c in at.caption)


def test_an_admin_and_a_funder_each_get_their_own_cached_page(tmp_path, monkeypatch):
    """The page model is cached per programme, date, countries, language and viewer (View): an
    admin and a funder opening the same programme with the same filters, one after the other in
    the same process, never get each other's figures."""
    engine = database(tmp_path, monkeypatch, good_workbook())
    auth.add_user(engine, FUNDER, "funder", PASSWORD, funder="AFD")
    # P1: one session with two participants; I2 (regional, computed participants) reaches 2 of 20
    for email, people, count in ((ADMIN, "2", 2), (FUNDER, "< 5", "< 5"), (ADMIN, "2", 2)):
        at = open_page("training", as_user=email, programme="P1")
        assert metrics(at)["Personnes distinctes"] == people, email
        assert list(table(at, "Heures")["Participants"]) == [count], email
        assert list(table(at, "Compte")["Réalisé"]) == [people], email
        assert f"{people} participants" in layer(decks(at)[0], "sessions")["data"][0]["tooltip"], email
        assert any("Petits effectifs masqués" in c.value for c in at.caption) == (email == FUNDER)


def test_a_funder_sees_counts_of_five_and_more_unchanged(tmp_path, monkeypatch, demo_workbooks):
    engine = database(tmp_path, monkeypatch, *demo_workbooks)
    auth.add_user(engine, FUNDER, "funder", PASSWORD, funder="AFD")
    at = open_page("training", as_user=FUNDER, programme="UNSEEN-X", as_of="2026-09-30")
    k = _kpis(engine, "UNSEEN-X", "2026-09-30")
    assert metrics(at)["Personnes distinctes"] == fmt_number(k["training"]["participants"], "fr")
    with engine.connect() as conn:
        from dashboard.training import sessions as session_rows

        counts = list(session_rows(conn, "UNSEEN-X", dt.date(2026, 9, 30))["participants"])[::-1]  # latest first
    shown = list(table(at, "Heures")["Participants"])
    assert any(n < 5 for n in counts) and any(n >= 5 for n in counts)
    assert shown == ["< 5" if 0 < n < 5 else fmt_number(n, "fr") for n in counts]


def test_training_page_explains_what_is_missing_for_an_empty_programme(tmp_path, monkeypatch):
    database(tmp_path, monkeypatch, {"programmes": [{"code": "VIDE", "name": "Programme vide",
                                                     "start_date": dt.date(2025, 1, 1),
                                                     "end_date": dt.date(2026, 12, 31)}]})
    at = open_page("training", programme="VIDE")
    assert any("Aucune session" in i.value and "sessions et attendance" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.get("deck_gl_json_chart")


def test_training_page_speaks_english(app):
    at = open_page("training", programme="LT-PAIRS", lang="en")
    k = _kpis(app, "LT-PAIRS", None)
    shown = metrics(at)
    assert shown["Distinct participants"] == fmt_number(k["training"]["participants"], "en")
    assert shown["Women share"] == fmt_percent(k["training"]["women_share"], "en")
    assert figure(at, "Sessions per month")["layout"]["title"]["text"].endswith(")</sup>")


def test_the_session_table_draws_the_most_recent_sessions_and_the_files_hold_them_all(app, monkeypatch):
    """A programme's thousands of sessions are not all sent at every visit: the table draws the
    ``TABLE_SESSIONS`` most recent, latest first, says so, and the CSV file has every session."""
    import csv
    import io

    import sqlalchemy as sa
    from streamlit.delta_generator import DeltaGenerator

    from dashboard.ui.pages import training as page

    files = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kwargs):
        if file_name and file_name.endswith(".csv"):
            files[file_name] = data() if callable(data) else data
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(page, "TABLE_SESSIONS", 4)
    at = open_page("training", programme="PCRPM-C2", as_of="2022-06-30")
    with app.connect() as conn:  # the oracle: the sessions started by the date, straight from SQL
        every = conn.execute(sa.text("SELECT start_date, title FROM sessions WHERE programme_code = 'PCRPM-C2' "
                                     "AND start_date <= '2022-06-30' ORDER BY start_date DESC, code DESC")).all()
    assert len(every) > 4
    shown = table(at, "Heures")
    assert [str(d)[:10] for d in shown["Date"]] == [str(d)[:10] for d, _ in every[:4]]
    assert list(shown["Intitulé"]) == [title for _, title in every[:4]]
    assert f"Les 4 sessions les plus récentes sur {len(every)}" in " ".join(c.value for c in at.caption)
    (name,) = [n for n in files if n.startswith("sessions_")]
    rows = list(csv.reader(io.StringIO(files[name][3:].decode("utf-8")), delimiter=";"))
    assert len(rows) == 1 + len(every)  # the header, then every session
