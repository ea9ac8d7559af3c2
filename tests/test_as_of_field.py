"""The sidebar's as-of field is text (applied on Enter): what it accepts, by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.ui.filters import format_as_of, parse_as_of


@pytest.mark.parametrize("text,lang,expected", [
    ("31/12/2022", "fr", dt.date(2022, 12, 31)),
    ("1/6/2022", "fr", dt.date(2022, 6, 1)),
    ("01-06-2022", "fr", dt.date(2022, 6, 1)),
    ("01.06.2022", "fr", dt.date(2022, 6, 1)),
    (" 2022-06-01 ", "fr", dt.date(2022, 6, 1)),
    ("2022-06-01", "en", dt.date(2022, 6, 1)),
    ("01/06/2022", "en", None),  # English is ISO only: 01/06 would read as 6 January to some
    ("31/02/2022", "fr", None),  # no such day
    ("2022-13-01", "en", None),
    ("12/2022", "fr", None),
    ("1/6/22", "fr", None),
    ("", "fr", None),
    ("demain", "fr", None),
])
def test_typed_dates(text, lang, expected):
    assert parse_as_of(text, lang) == expected


def test_the_field_shows_the_date_in_the_format_it_reads():
    day = dt.date(2023, 10, 24)
    assert format_as_of(day, "fr") == "24/10/2023" and format_as_of(day, "en") == "2023-10-24"
    assert all(parse_as_of(format_as_of(day, lang), lang) == day for lang in ("fr", "en"))
