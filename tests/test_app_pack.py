"""Explanations and packs in the app (AppTest, demo programme): who sees which explanation next to
the figures, "explication attendue" for writers only, adding an explanation from the page, the
Dossiers page producing and listing a pack."""
from __future__ import annotations

import sqlalchemy as sa

from apptest import PASSWORD, database, open_page
from dashboard import auth
from dashboard import schema as s

SHARED = ("Atelier reporté à cause des élections ; reprogrammé en septembre avec les mêmes OSC.",
          "Deux sessions annulées (sécurité à Kayes) ; une session en ligne prévue en octobre.")
INTERNAL_LINE = "Parcours de formation élargi à 25 OSC au lieu de 20 ; dépassement validé par le comité."


def texts(at) -> list[str]:
    return [e.value for e in at.text]


def test_explanations_next_to_the_figures_as_each_role_may_read_them(tmp_path, monkeypatch, demo_workbooks):
    engine = database(tmp_path, monkeypatch, demo_workbooks[0])
    auth.add_user(engine, "conseil@x.test", "conseil", PASSWORD)
    auth.add_user(engine, "ef@x.test", "funder", PASSWORD, funder="EF")
    admin = open_page("progress", programme="PCRPM-C2")
    assert set(SHARED) <= set(texts(admin))
    assert any("Explication attendue" in w.value for w in admin.warning)  # admins write: they are told
    board = open_page("progress", as_user="conseil@x.test", programme="PCRPM-C2")
    assert set(SHARED) <= set(texts(board)) and not any("Explication attendue" in w.value for w in board.warning)
    budget = open_page("budget", as_user="conseil@x.test", programme="PCRPM-C2")
    assert INTERNAL_LINE in texts(budget)
    funder = open_page("progress", as_user="ef@x.test", programme="PCRPM-C2")
    shown = texts(funder)
    assert set(SHARED) <= set(shown) and INTERNAL_LINE not in shown
    assert not any("Explication attendue" in w.value for w in funder.warning)
    assert not funder.get("form")  # funders never write


def test_a_manager_adds_an_explanation_from_the_progress_page(tmp_path, monkeypatch, demo_workbooks):
    engine = database(tmp_path, monkeypatch, demo_workbooks[0])
    auth.add_user(engine, "awa@x.test", "manager", PASSWORD, ["PCRPM-C2"], ["GIN"])
    at = open_page("progress", as_user="awa@x.test", programme="PCRPM-C2")
    at.text_input(key="progress-code").input("I-A3.1.1")
    at.selectbox(key="progress-country").select("GIN")
    at.text_area(key="progress-text").input("Retard des inscriptions ; session de rattrapage en juillet.")
    at.button(key="FormSubmitter:comment-progress-Enregistrer l'explication").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Retard des inscriptions ; session de rattrapage en juillet." in texts(at)
    assert any("version 1" in sc.value for sc in at.success)
    with engine.connect() as conn:
        row = conn.execute(sa.select(s.comments.c.author, s.comments.c.country_iso3, s.comments.c.period_end)
                           .where(s.comments.c.code == "I-A3.1.1")).one()
    assert row.author == "awa@x.test" and row.country_iso3 == "GIN"
    # only the account's countries are offered; a regional explanation needs an unrestricted manager:
    # refused with a message, nothing written
    assert at.selectbox(key="progress-country").options == ["ensemble du programme / régional", "Guinée"]
    at.selectbox(key="progress-country").set_value("")
    at.text_area(key="progress-text").input("Hors périmètre")
    at.button(key="FormSubmitter:comment-progress-Enregistrer l'explication").click()
    at.run()
    assert [e.value for e in at.error] == ["Vous ne pouvez pas écrire d'explication pour cet élément."]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(s.comments).where(
            s.comments.c.text == "Hors périmètre")).scalar() == 0


def test_the_dossiers_page_produces_and_lists_a_pack(tmp_path, monkeypatch, demo_workbooks):
    engine = database(tmp_path, monkeypatch, demo_workbooks[0])
    at = open_page("packs", programme="PCRPM-C2")
    assert at.title[0].value == "Dossier du Conseil"
    at.button(key="pack-generate").click()
    at.run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Dossier n° 1 produit")
    listed = at.dataframe[0].value
    assert list(listed["Programme"]) == ["PCRPM-C2"] and list(listed["Version"]) == ["Conseil"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(s.packs.c.pdf)).scalar().startswith(b"%PDF")
