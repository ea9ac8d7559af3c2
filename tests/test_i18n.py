"""The catalogue is complete in both languages and the formats are the French and English ones."""
import datetime as dt
import re
import string

from dashboard.i18n import CATALOGUE, country_name, fmt_date, fmt_money, fmt_number, fmt_percent, t
from dashboard.db import ROOT

NBSP, NNBSP = "\u00a0", "\u202f"


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_exists_in_french_and_english_with_the_same_placeholders():
    for key, entry in CATALOGUE.items():
        assert set(entry) == {"fr", "en"}, key
        assert entry["fr"].strip() and entry["en"].strip(), key
        assert _fields(entry["fr"]) == _fields(entry["en"]), key


def test_every_key_used_in_the_code_is_in_the_catalogue():
    used = set()
    for path in [*ROOT.glob("dashboard/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "streamlit_app.py"]:
        used |= set(re.findall(r"""\bt\(\s*f?["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    missing = {k for k in used if k not in CATALOGUE}
    assert not missing


def test_french_formats():
    assert fmt_money(1234.5, "fr", digits=1) == f"1{NNBSP}234,5{NBSP}€"
    assert fmt_money(1234567, "fr") == f"1{NNBSP}234{NNBSP}567{NBSP}€"
    assert fmt_percent(0.4567, "fr") == f"46{NBSP}%"
    assert fmt_number(1.3182, "fr", 2) == "1,32"
    assert fmt_date(dt.date(2023, 6, 30), "fr") == "30 juin 2023"
    assert country_name("CIV", "fr") == "Côte d'Ivoire" and country_name("GIN", "fr") == "Guinée"


def test_english_formats_and_missing_values():
    assert fmt_money(1234567, "en") == "€1,234,567"
    assert fmt_percent(0.4567, "en", 1) == "45.7%"
    assert fmt_number(None, "en") == "—" and fmt_percent(float("nan"), "fr") == "—"
    assert country_name("CMR", "en") == "Cameroon" and country_name(None, "en") == "Regional / HQ"
    assert t("imp.no_rate", "en", currency="USD") == "no exchange rate for USD (add fx_rates rows)"
