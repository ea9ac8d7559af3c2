"""The Synthèse page in Streamlit's AppTest: the figures shown are those worked out by hand for
tests/workbooks.py's programme P1 (as of its latest data date, 2022-06-30)."""
from __future__ import annotations

import pytest
import streamlit as st

from apptest import database, metrics, open_page
from workbooks import good_workbook


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """A database holding P1 only (and an admin account), used by the app."""
    return database(tmp_path, monkeypatch, good_workbook())


def run(query: dict | None = None):
    return open_page(None, **(query or {}))


def test_overview_shows_the_hand_computed_headline_figures(app_db):
    at = run()
    shown = metrics(at)
    # B = 655 957 XOF (1 000 €) + 9 000 000 GNF at 9 000 (1 000 €) = 2 000 €
    # S = 1 234,56 + 1 000 000 GNF at 10 000 (100 €) - 34,56 = 1 300 €: execution 65 %
    assert shown["Exécution budgétaire"] == "65\u00a0%"
    # elapsed = 180 / 365 days; burn = 0.65 / (180/365) = 1.318 -> "1,32", overspend
    assert shown["Indice de consommation"] == "1,32"
    # F = 1 500,50 € signed: coverage 75 %; cash exposure = 1 300 - 600 received = 700 €
    assert shown["Couverture du budget"] == "75\u00a0%"
    assert shown["Trésorerie avancée"] == "700\u00a0€"
    assert shown["Personnes formées"] == "2"
    # one funder: HHI 1, concentrated
    assert shown["Concentration des financements"] == "1,00"
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    # burn 1.32 > 1.10: overspend (red, on execution and burn index); HHI 1 > 0.25: concentrated
    assert badges[:3] == [":red-badge[surconsommation]", ":red-badge[surconsommation]", ":red-badge[concentré]"]


def test_overview_speaks_english_when_asked_in_the_url(app_db):
    at = run({"lang": "en"})
    shown = metrics(at)
    assert shown["Budget execution"] == "65%"
    assert shown["Cash exposure"] == "€700"


def test_filters_are_mirrored_in_the_url_and_read_back(app_db):
    at = run({"countries": "SEN", "as_of": "2022-04-30"})
    assert at.query_params["countries"] == "SEN" and at.query_params["as_of"] == "2022-04-30"
    shown = metrics(at)
    # SEN only: B = 1 000 €, spent by 2022-04-30 = 1 234,56 € (the credit note is dated 2 May): 123 %
    assert shown["Exécution budgétaire"] == "123\u00a0%"


def test_hostile_url_parameters_are_ignored(app_db):
    at = run({"programme": "P1' OR 1=1--", "countries": "SEN' OR '1'='1", "as_of": "yesterday", "lang": "xx"})
    assert at.query_params["programme"] == "P1"
    assert "countries" not in at.query_params
    assert metrics(at)["Exécution budgétaire"] == "65\u00a0%"


def test_alerts_list_the_overspent_line_and_the_late_indicators(app_db):
    at = run()
    headers = [m.value for m in at.markdown if m.value.startswith(":material/")]
    assert headers == [":material/money_off: **Lignes budgétaires dépassées : 1**",
                       ":material/schedule: **En retard (rythme < 85 % de l'attendu) — "
                       "Indicateurs (niveau programme) : 2 ; Lignes pays × indicateur : 1**"]
    overspent, behind = (d.value for d in at.dataframe[1:3])
    # L1: 1 234,56 - 34,56 = 1 200 € spent for 1 000 €: 200 € over
    assert overspent.iloc[0].tolist() == ["L1", "Ateliers", 1000.0, pytest.approx(1200.0), pytest.approx(200.0)]
    # I1 in SEN: 4 for 10 x 180/365 = 4.93 expected (pace 0.81); the roll-up says the same;
    # I2 (regional, computed): 2 participants for 20 x 180/365 = 9.86 expected
    assert [(r[0], r[2]) for r in behind.values.tolist()] == [
        ("I1", "ensemble du programme"), ("I1", "Sénégal"), ("I2", "Régional / siège")]
    assert behind.iloc[2, 4] == pytest.approx(20 * 180 / 365)


def test_a_grant_ending_soon_without_successor_is_an_alert(app_db):
    at = run({"as_of": "2022-08-01"})  # G1 ends 2023-01-01, within 6 months
    headers = [m.value for m in at.markdown if m.value.startswith(":material/event_busy:")]
    assert headers == [":material/event_busy: **Conventions se terminant dans les 6 mois sans successeur signé : 1**"]
    assert at.dataframe[-1].value.iloc[0, 0] == "G1"


@pytest.mark.parametrize("page, title", [
    (None, "Synthèse"), ("budget", "Risque budgétaire"), ("funding", "Diversification des financements"),
    ("training", "Formations et portée"), ("progress", "Progrès par pays")])
def test_an_empty_database_says_how_to_add_data_on_every_page(tmp_path, monkeypatch, page, title):
    database(tmp_path, monkeypatch)
    at = open_page(page)
    assert [x.value for x in at.title] == [title]
    assert [i.value for i in at.info if "Aucun programme dans la base" in i.value]


def test_status_grid_shows_each_country_of_each_programme_by_hand(app_db):
    """The programme x country grid: one figure per cell (progress first), P1 at its default date."""
    at = run()
    grid = next(d.value for d in at.dataframe if d.value.index.name == "Pays")
    # I1 (SEN): 4 measured against a target of 10 from a baseline of 0: 40 %; no indicator in Guinea
    assert grid["P1 (au 30 juin 2022)"].to_dict() == {"Sénégal": "40\u00a0%", "Guinée": "—"}
    at.segmented_control(key="ov_grid_metric").set_value("status").run()
    grid = next(d.value for d in at.dataframe if d.value.index.name == "Pays")
    # SEN: spent 1 234,56 - 34,56 = 1 200 € of 1 000 €: S > B -> over budget (whatever the burn, 2.43);
    # GIN: 1 000 000 GNF at 10 000 = 100 € of 1 000 €: burn 0.1 / 0.49 = 0.20 < 0.80, underspend
    assert grid["P1 (au 30 juin 2022)"].to_dict() == {"Sénégal": "budget dépassé", "Guinée": "sous-consommation"}
