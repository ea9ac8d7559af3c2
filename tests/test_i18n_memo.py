"""The texts of figures are remembered (dashboard/i18n.py ``_memoised``): a page formats the same
hundreds of table cells at every rerun. Remembering must never change a text: each call below is
checked against babel called directly, written out by hand for the cases a reader sees."""
import datetime as dt
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from babel.dates import format_date
from babel.numbers import format_decimal

from dashboard import i18n
from dashboard.i18n import fmt_date, fmt_money, fmt_number, fmt_percent


def test_hand_written_texts_stay_the_same_when_remembered():
    for _ in range(2):  # the second round is answered from memory
        assert fmt_money(1263000, "fr") == "1\u202f263\u202f000\u00a0€"
        assert fmt_money(1263000, "en") == "€1,263,000"
        assert fmt_number(1234.5, "fr", 1) == "1\u202f234,5"
        assert fmt_number(1234.5, "en", 1) == "1,234.5"
        assert fmt_percent(0.87, "fr") == "87\u00a0%"
        assert fmt_percent(0.87, "en") == "87%"
        assert fmt_date(dt.date(2023, 3, 31), "fr") == "31 mars 2023"
        assert fmt_date(dt.date(2023, 3, 31), "en") == "31 Mar 2023"


def test_a_second_call_is_answered_from_memory():
    i18n._money_text.cache_clear()
    fmt_money(76072.4, "fr")
    before = i18n._money_text.cache_info().hits
    fmt_money(76072.4, "fr")
    assert i18n._money_text.cache_info().hits == before + 1


def test_equal_values_of_other_types_and_signs_keep_their_own_text():
    # 1 == 1.0 == True == Decimal(1): one key would give them one text; typed keys keep them apart
    assert fmt_number(2, "en", 2) == "2.00" and fmt_number(2.0, "en", 2) == "2.00"
    assert fmt_number(Decimal("2.5"), "fr", 1) == "2,5" and fmt_number(2.5, "fr", 1) == "2,5"
    assert fmt_number(np.int64(1500), "fr") == "1\u202f500"
    # zero is never remembered: -0.0 == 0.0, and babel writes them as it writes them
    assert fmt_number(-0.0, "en") == format_decimal(-0.0, format="#,##0", locale="en_GB")
    assert fmt_number(0.0, "en") == "0"


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.integers(-10**12, 10**12), st.floats(-1e12, 1e12, allow_nan=False)),
       lang=st.sampled_from(["fr", "en"]), digits=st.integers(0, 2))
def test_remembered_numbers_read_as_babel_writes_them(value, lang, digits):
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    expected = format_decimal(value, format=pattern, locale=i18n._locale(lang))
    assert fmt_number(value, lang, digits) == expected
    assert fmt_number(value, lang, digits) == expected  # from memory


@settings(max_examples=100, deadline=None)
@given(day=st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), lang=st.sampled_from(["fr", "en"]))
def test_remembered_dates_read_as_babel_writes_them(day, lang):
    expected = format_date(day, format="medium", locale=i18n._locale(lang))
    assert fmt_date(day, lang) == expected == fmt_date(day, lang)
