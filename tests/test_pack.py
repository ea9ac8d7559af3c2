"""The board pack: the PDF's text holds the headline figures exactly as the overview page shows
them (demo and unseen programmes, French and English; hand-computed for tests/workbooks.py's P1),
a funder's pack holds nothing of other funders and hides small counts, the archive reopens the
exact bytes, the command line writes the same pack. The page images are in test_e2e_browser.py's
neighbour, tests/test_pack_render.py."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import sqlalchemy as sa
import streamlit as st
from pypdf import PdfReader

from apptest import ADMIN, database, metrics, open_page
from dashboard import pack
from dashboard import schema as s
from dashboard.auth import Scope
from dashboard.db import read_data_version
from dashboard.ui import data
from workbooks import good_workbook

BOARD = Scope(None, ADMIN, "admin", None, None)


def text_of(pdf: bytes) -> str:
    """The PDF's text with its white space made plain: the extraction does not keep no-break
    spaces, and a label wrapped in a table cell reads as two lines."""
    return plain("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def plain(value: str) -> str:
    return re.sub(r"\s+", " ", value)


@pytest.fixture
def demo_app(tmp_path, monkeypatch, demo_workbooks):
    return database(tmp_path, monkeypatch, *demo_workbooks)


@pytest.mark.parametrize("programme", ["PCRPM-C2", "UNSEEN-X"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pack_holds_the_headline_figures_as_the_overview_shows_them(demo_app, programme, lang):
    at = open_page(None, programme=programme, lang=lang)
    shown = metrics(at)
    assert len(shown) >= 7  # every headline figure of the overview (board view)
    made = pack.build(data.engine(), BOARD, programme, None, (), lang)
    text = text_of(made.data)
    for label, value in shown.items():
        assert plain(label) in text and plain(value) in text, (label, value)
        # the figure is printed on the line of its label, in the headline table
        assert re.search(re.escape(plain(label)) + r"\s+" + re.escape(plain(value)), text), (label, value)
    assert "_status" not in text  # the page's hidden column (it colours the tree's status cells)
    contents = "Sommaire" if lang == "fr" else "Contents"
    assert contents in text and (f"page 1 sur {made.pages}" if lang == "fr" else f"page 1 of {made.pages}") in text


@pytest.fixture
def p1(tmp_path, monkeypatch):
    return database(tmp_path, monkeypatch, good_workbook())


def test_hand_computed_headline_figures_of_p1_in_both_languages(p1):
    fr = text_of(pack.build(data.engine(), BOARD, "P1", None, (), "fr").data)
    # tests/test_app_overview.py: execution 65 %, burn 1,32 (overspend), coverage 75 %, cash 700 €
    for line in ("Exécution budgétaire 65 %", "Indice de consommation 1,32", "Couverture du budget 75 %",
                 "Trésorerie avancée 700 €", "Personnes formées 2", "Concentration des financements 1,00"):
        assert line in fr
    assert "surconsommation" in fr and "concentré" in fr
    en = text_of(pack.build(data.engine(), BOARD, "P1", None, (), "en").data)
    for line in ("Budget execution 65%", "Burn index 1.32", "Budget coverage 75%", "Cash exposure €700"):
        assert line in en


def test_french_typography_no_break_space_before_colon_in_the_pdf():
    from dashboard.pack.render import typo

    assert typo("Dépensé : 1 € ; « ok » !", "fr") == "Dépensé\u00a0: 1 €\u00a0; «\u00a0ok\u00a0»\u00a0!"
    assert typo("Spent: 1 ; x", "en") == "Spent: 1 ; x"


def test_a_funder_pack_has_no_other_funder_and_hides_small_counts(p1):
    engine = data.engine()
    with engine.begin() as conn:  # a second funder on P1, whose name and amount must not appear
        conn.execute(s.funders.insert().values(code="XYZ", name="Fondation Zéphyr", type="foundation"))
        conn.execute(s.grants.insert().values(code="G2", funder_code="XYZ", programme_code="P1", status="signed",
                                              amount=4321.0, currency="EUR", amount_eur=4321.0, rate_month=202201,
                                              signed_date=dt.date(2022, 1, 10), in_kind=False))
    st.cache_data.clear()
    board = text_of(pack.build(engine, BOARD, "P1", None, (), "fr").data)
    assert "Fondation Zéphyr" in board and "4 321" in board  # the board sees it
    funder = Scope(7, "afd@x.test", "funder", frozenset({"P1"}), None, "AFD")
    made = pack.build(engine, funder, "P1", None, (), "fr")
    text = text_of(made.data)
    assert "Fondation Zéphyr" not in text and "XYZ" not in text and "4 321" not in text
    assert "Couverture du budget" not in text and "Trésorerie" not in text and "Risque budgétaire" not in text
    # P1 trained 2 people: a funder reads "< 5", never the count
    assert "Personnes formées < 5" in text and "Personnes formées 2" not in text
    assert "Agence française de développement" in text  # its own name, on the cover
    assert made.params["audience"] == "funder" and made.params["funder_code"] == "AFD"


def test_the_archive_reopens_the_exact_pack_after_a_correction(p1):
    engine = data.engine()
    first = pack.build(engine, BOARD, "P1", dt.date(2022, 6, 30), ("SEN",), "fr", generated_by="amina@x.test")
    with engine.begin() as conn:  # a later correction
        conn.execute(s.receipts.update().values(amount=650.0, amount_eur=650.0))
        from dashboard.db import bump_data_version

        bump_data_version(conn)
    second = pack.build(engine, BOARD, "P1", dt.date(2022, 6, 30), ("SEN",), "fr")
    rows = pack.archived(engine, BOARD)
    assert [r["id"] for r in rows] == [second.archive_id, first.archive_id]
    assert rows[1]["data_version"] == first.params["data_version"] < rows[0]["data_version"]
    assert (rows[1]["created_by"], rows[1]["as_of"], rows[1]["countries"], rows[1]["lang"]) == (
        "amina@x.test", dt.date(2022, 6, 30), "SEN", "fr")
    assert pack.pdf_of(engine, BOARD, first.archive_id) == first.data
    # a funder cannot reopen the board's packs; a manager of another programme neither
    assert pack.pdf_of(engine, Scope(7, "afd@x.test", "funder", frozenset({"P1"}), None, "AFD"), first.archive_id) is None
    assert pack.archived(engine, Scope(8, "m@x.test", "manager", frozenset({"P2"}), None)) == []
    with engine.connect() as conn:
        audited = conn.execute(sa.select(sa.func.count()).select_from(s.audit_log).where(
            s.audit_log.c.action == "pack")).scalar()
    assert audited == 2


def test_the_command_line_writes_and_archives_the_pack(tmp_path, monkeypatch):
    from dashboard.__main__ import main
    from dashboard.db import make_engine, upgrade
    from dashboard.importer import import_workbook

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert import_workbook(engine, good_workbook()).ok
    monkeypatch.delenv("DASHBOARD_DB_URL", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    out = tmp_path / "out" / "dossier.pdf"
    code = main(["pack", "--db", url, "--programme", "P1", "--as-of", "2022-06-30", "--lang", "en",
                 "--out", str(out)])
    assert code == 0 and out.read_bytes().startswith(b"%PDF")
    text = text_of(out.read_bytes())
    assert "Board pack" in text and "Budget execution 65%" in text and "30 Jun 2022" in text
    with engine.connect() as conn:
        row = conn.execute(sa.select(s.packs.c.created_by, s.packs.c.lang, s.packs.c.pdf)).one()
    assert row.created_by == "cli" and row.lang == "en" and row.pdf == out.read_bytes()
    assert main(["pack", "--db", url, "--programme", "NOPE", "--out", str(out)]) == 2
    st.cache_resource.clear()


def test_markup_in_an_explanation_is_printed_as_text(p1):
    from dashboard import comments as cm

    hostile = "<b>gras</b> & <font size=40>énorme</font> <para>"
    assert cm.save(data.engine(), BOARD, {"programme_code": "P1", "subject": "country", "country_iso3": "SEN",
                                          "period_end": dt.date(2022, 6, 30), "text": hostile}).ok
    st.cache_data.clear()
    text = text_of(pack.build(data.engine(), BOARD, "P1", None, (), "fr").data)
    assert plain(hostile) in text


def test_a_country_restricted_manager_gets_a_pack_of_their_countries_and_can_reopen_it(p1):
    manager = Scope(5, "awa@x.test", "manager", frozenset({"P1"}), frozenset({"SEN"}))
    made = pack.build(data.engine(), manager, "P1", None, (), "fr")
    assert made.params["countries"] == "SEN"
    assert "Sénégal" in text_of(made.data)
    assert [r["id"] for r in pack.archived(data.engine(), manager)] == [made.archive_id]
    other = Scope(6, "moussa@x.test", "manager", frozenset({"P1"}), frozenset({"GIN"}))
    assert pack.pdf_of(data.engine(), other, made.archive_id) is None
