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
