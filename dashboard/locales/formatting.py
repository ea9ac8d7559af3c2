"""Strings of the shared table and file formats (dashboard.ui.formatting), the short Excel sheet
titles of the downloads, and the Data and Administration pages' added texts."""

STRINGS = {
    "fmt.yes": {"fr": "oui", "en": "yes"},
    "fmt.no": {"fr": "non", "en": "no"},
    # printf format of the percentage-point bars (sprintf-js: the same in every browser)
    "fmt.points": {"fr": "%.0f\u00a0%%", "en": "%.0f%%"},
    "bu.sheet": {"fr": "Lignes budgétaires", "en": "Budget lines"},
}
