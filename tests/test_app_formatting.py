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
    assert rows["L1"][columns[0]] == {"fr": "dépassée", "en": "overspent"}[lang] or "dépass" in rows["L1"][columns[0]]
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
