"""What users read in tables and downloads (issue #14): one format per language, whatever the
browser's locale; the budget lines a manager acts on; the logframe tree; alerts rounded for reading;
the Data and Administration pages' texts. Figures are worked out by hand from tests/workbooks.py."""
from __future__ import annotations

import pytest

from apptest import database, open_page
from dashboard.ui.widgets import STATUS_FILL
from tables import fills, shown
from workbooks import good_workbook

NB, NNB = "\u00a0", "\u202f"  # babel's French spaces: before a symbol, between thousands


@pytest.fixture
def small(tmp_path, monkeypatch):
    return database(tmp_path, monkeypatch, good_workbook())


# --- item 6: the budget lines ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_budget_lines_status_and_euros_first_whole_euros_no_none(small, lang):
    """L1: 655 957 XOF = 1 000 EUR (fixed rate), spent 1 234,56 - 34,56 = 1 200 EUR in EUR vouchers
    (so no spent in XOF), execution 120 %: overspent, red. L2: 9 000 000 GNF at 9 000 = 1 000 EUR,
    spent 1 000 000 GNF at 10 000 = 100 EUR, 10 %."""
    at = open_page("budget", programme="P1", as_of="2022-07-01", lang=lang)
    node = at.dataframe[0]
    text = shown(node)
    columns = list(text.columns)
    if lang == "fr":
        assert columns[:7] == ["État", "Ligne", "Libellé", "Pays", "Budget (EUR)", "Dépensé (EUR)", "Exécution"]
        assert columns.index("Budget (devise)") > columns.index("Exécution")
    else:
        assert columns[:7] == ["Status", "Line", "Label", "Country", "Budget (EUR)", "Spent (EUR)", "Execution"]
    rows = {r[columns[1]]: r for r in text.to_dict("records")}
    euro = {"fr": (f"1{NNB}000{NB}€", f"1{NNB}200{NB}€", f"100{NB}€"), "en": ("€1,000", "€1,200", "€100")}[lang]
    assert rows["L1"][columns[4]] == euro[0] and rows["L1"][columns[5]] == euro[1]
    assert rows["L2"][columns[4]] == euro[0] and rows["L2"][columns[5]] == euro[2]
    local = columns[-2:]  # budget and spent in the line's currency
    assert rows["L1"][local[0]] == {"fr": f"655{NNB}957", "en": "655,957"}[lang] and rows["L1"][local[1]] == "—"
    assert rows["L2"][local[1]] == {"fr": f"1{NNB}000{NNB}000", "en": "1,000,000"}[lang]
    assert rows["L1"][columns[0]] == {"fr": "budget dépassé", "en": "over budget"}[lang]  # over_budget: 1 200 > 1 000
    assert not (text == "None").any().any() and not (text == "nan").any().any()
    # the execution bars: percentage points, drawn the same in every browser
    assert node.value[columns[6]].tolist() == pytest.approx([120, 10])
    # the status cell is coloured as its status
    colours = fills(node)
    assert colours[(list(text[columns[1]]).index("L1"), 0)] == STATUS_FILL["red"]


# --- item 8: alerts rounded for reading, in the page's language --------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_alerts_read_in_the_page_language(small, lang):
    """At 2022-07-01, 181 of the programme's 365 days: I1 (Senegal) is expected at 10 x 181/365 =
    4.9589 and is at 4 (pace 0.81: behind), as is its roll-up; I2 (20 participants by the end, 2
    reached) at 20 x 181/365 = 9.9178. L1 is overspent: 1 000 EUR budget, 1 200 spent, 200 over."""
    at = open_page("overview", programme="P1", as_of="2022-07-01", lang=lang)
    tables = [shown(n) for n in at.dataframe]
    expected_col = {"fr": "Attendu à date", "en": "Expected by now"}[lang]
    behind = next(tb for tb in tables if expected_col in tb.columns)
    by_code = {}
    for row in behind.to_dict("records"):
        by_code.setdefault(row[{"fr": "Indicateur", "en": "Indicator"}[lang]], []).append(row)
    assert {r[expected_col] for r in by_code["I1"]} == {{"fr": "4,96", "en": "4.96"}[lang]}
    assert [r[expected_col] for r in by_code["I2"]] == [{"fr": "9,92", "en": "9.92"}[lang]]
    assert {r[{"fr": "Réalisé", "en": "Actual"}[lang]] for r in by_code["I1"]} == {"4"}
    over = next(tb for tb in tables if {"fr": "Dépassement (EUR)", "en": "Overrun (EUR)"}[lang] in tb.columns)
    row = over.iloc[0].tolist()
    assert row[2:] == {"fr": [f"1{NNB}000{NB}€", f"1{NNB}200{NB}€", f"200{NB}€"],
                       "en": ["€1,000", "€1,200", "€200"]}[lang]


# --- item 7: the logframe tree, every label in full ---------------------------------------------------

def test_logframe_tree_is_a_wrapped_table_with_every_title_in_full(tmp_path, monkeypatch):
    """The tree is a static table (rows grow to wrap their text, no 700 px scrolling box): a
    250-character title with Markdown characters reads in full, as written."""
    title = ("Renforcer le rôle des organisations de la société civile d'Afrique du Nord et de l'Ouest dans "
             "leur participation à l'élaboration et au suivi de politiques migratoires *respectueuses* des "
             "droits humains et contribuant aux stratégies de développement")
    wb = good_workbook()
    wb["logframe"] = [{**n, "title": title} if n["code"] == "OS1" else n for n in wb["logframe"]]
    database(tmp_path, monkeypatch, wb)
    at = open_page("progress", programme="P1", as_of="2022-07-01")
    assert not [d for d in at.dataframe if "Cadre logique" in d.value.columns]  # not a scrolling grid
    node = next(tb for tb in at.table if "Cadre logique" in tb.value.columns)
    tree = shown(node)
    assert "\u2003OS1 — " + title in tree["Cadre logique"].tolist()
    # st.table renders Markdown: the imported stars are escaped, shown as stars (not italics)
    assert "\\*respectueuses\\*" in node.proto.arrow_data.styler.display_values.decode("utf-8", "replace")
    # I1 in Senegal: 4 of 10 from a baseline of 0, 40 % of the final target; behind (pace 0.81)
    row = tree[(tree["Indicateur"] == "I1") & (tree["Périmètre"] == "Sénégal")].iloc[0]
    assert row["Réalisation"] == "40\u00a0%" and row["État"] == "en retard"


# --- item 11: the Data and Administration pages ----------------------------------------------------------

def _xlsx(wb) -> bytes:
    import tempfile
    from pathlib import Path

    from dashboard.workbook_io import write_xlsx

    with tempfile.TemporaryDirectory() as folder:
        return write_xlsx(wb, Path(folder) / "wb.xlsx").read_bytes()


def _upload(at, content: bytes, name="classeur.xlsx"):
    at.file_uploader(key="upload").set_value((name, content, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_upload_area_is_explained_in_french(small):
    at = open_page("data", programme="P1")
    captions = [c.value for c in at.tabs[0].caption]
    assert any("« Upload »" in c and "50 Mo au plus par fichier" in c for c in captions), captions


def test_apply_greyed_out_says_why(small):
    """The workbook already imported, uploaded again: nothing to change, the button says so."""
    at = _upload(open_page("data", programme="P1"), _xlsx(good_workbook()))
    button = at.button(key="apply")
    assert button.disabled
    assert any("ne change rien" in c.value for c in at.tabs[0].caption)


def test_import_errors_have_no_none(small):
    """A misspelt sheet: an error about the whole sheet (no row, no column) shows blank cells."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(_xlsx(good_workbook())))
    book.create_sheet("budjet").append(["code"])
    buffer = io.BytesIO()
    book.save(buffer)
    at = _upload(open_page("data", programme="P1"), buffer.getvalue())
    table = shown(at.tabs[0].dataframe[0])
    assert "budjet" in table["feuille"].tolist()
    assert not table.isin(["None", "nan", "<NA>"]).any().any(), table


def test_audit_log_and_last_sign_in_read_as_text(small):
    """Minutes in UTC, the action and its details in words (no JSON, no microseconds)."""
    import datetime as dt

    import sqlalchemy as sa

    from dashboard.schema import audit_log, users

    moment = dt.datetime(2026, 11, 30, 14, 5, 33, 123456, tzinfo=dt.timezone.utc)
    with small.begin() as conn:
        conn.execute(users.update().values(last_login_at=moment))
        conn.execute(audit_log.update().values(at=moment))
    at = open_page("data", programme="P1")
    log = shown(at.tabs[2].dataframe[0])
    assert set(log["Quand (UTC)"]) == {"30/11/2026 14:05"}
    assert "Import d'un classeur" in log["Action"].tolist() and "Compte créé" in log["Action"].tolist()
    account = log[log["Action"] == "Compte créé"].iloc[0]
    assert account["Quoi"] == "compte admin@test.invalid"
    assert "rôle : administration" in account["Détails"] and "{" not in " ".join(log["Détails"])
    imported = log[log["Action"] == "Import d'un classeur"].iloc[0]["Détails"]
    assert "ajoutées : 1" in imported  # counts per sheet, in words
    admin = open_page("admin")
    users_shown = shown(admin.dataframe[0])
    assert users_shown["Dernière connexion"].tolist() == ["30/11/2026 14:05"]
    # a missing value of a typed column is drawn with the page's placeholder, not "None"
    assert admin.dataframe[0].proto.placeholder == "—"
    admin_en = open_page("admin", lang="en")
    assert shown(admin_en.dataframe[0])["Last sign-in"].tolist() == ["2026-11-30 14:05"]


def test_empty_states_say_who_can_add_the_data(tmp_path, monkeypatch):
    from dashboard import auth
    from apptest import PASSWORD

    engine = database(tmp_path, monkeypatch, {"programmes": [{"code": "VIDE", "name": "Programme vide",
                                                              "start_date": dt_date(2025, 1, 1),
                                                              "end_date": dt_date(2026, 12, 31)}]})
    auth.add_user(engine, "conseil@test.invalid", "conseil", PASSWORD)
    for page in ("budget", "progress", "training"):
        board = " ".join(i.value for i in open_page(page, as_user="conseil@test.invalid", programme="VIDE").info)
        assert "python -m dashboard" not in board and "gestionnaire du programme ou l'administration" in board
        admin = " ".join(i.value for i in open_page(page, programme="VIDE").info)
        assert "python -m dashboard" not in admin and "Vous pouvez les ajouter : page Données" in admin


def dt_date(*args):
    import datetime as dt

    return dt.date(*args)


# --- item 9: one format per language for cards, tables and charts ----------------------------------------

def test_cards_and_chart_labels_in_the_page_language(small):
    """One funder (AFD) holds all the signed funding: HHI 1, 10 000 out of 10 000. The category bars:
    activities (L1) 1 200 / 1 000 = 120 %, travel (L2) 100 / 1 000 = 10 %."""
    import json

    en = open_page("funding", programme="P1", as_of="2022-07-01", lang="en")
    assert "10,000 / 10,000" in [c.value for c in en.caption]
    fr = open_page("budget", programme="P1", as_of="2022-07-01")
    specs = [json.loads(c.proto.spec) for c in fr.get("plotly_chart")]
    by_category = next(s for s in specs if s["layout"]["title"]["text"].startswith("Budget et dépenses par catégorie"))
    spent = next(tr for tr in by_category["data"] if tr.get("text"))
    assert dict(zip(spent["y"], spent["text"])) == {"Activités": "120\u00a0%", "Déplacements": "10\u00a0%"}
