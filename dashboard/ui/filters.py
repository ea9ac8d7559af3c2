"""The sidebar filters (programme, countries, as-of date, language), kept in the session while
moving between pages and mirrored in the URL query parameters so a view can be shared as a link.

Query parameters are user input: each is checked against the known values before use.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from ..auth import Scope
from ..bootstrap import default_programme
from ..i18n import DEFAULT_LANG, LANGS, country_name, fmt_date, t
from ..limits import MIN_YEAR
from ..textsafe import md
from . import data, scoped


@dataclass(frozen=True)
class Filters:
    programme: str | None
    countries: tuple[str, ...]
    as_of: dt.date | None
    lang: str


def _param_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


#: The earliest as-of date offered (a workbook's dates start in 1900, see dashboard/limits.py).
MIN_AS_OF = dt.date(MIN_YEAR, 1, 1)


def _asked_as_of(lang: str) -> dt.date | None:
    """The as-of date of the URL (``?as_of=YYYY-MM-DD``), or None. A date that does not parse or
    lies outside MIN_AS_OF..today (``9999-12-31``, ``0001-01-01``) is refused with a message; the
    programme's default date is used instead."""
    text = st.query_params.get("as_of")
    if not text:
        return None
    asked = _param_date(text)
    today = dt.date.today()
    if asked is not None and MIN_AS_OF <= asked <= today:
        return asked
    st.session_state[REFUSED_KEY] = True  # said on the page that is drawn (show_refusals)
    return None


REFUSED_KEY = "as_of_refused"


def show_refusals(lang: str) -> None:
    """Say, once, on the page being drawn, that the link's as-of date was refused (the root URL
    forwards to the Synthèse first: the message waits for the page that is drawn)."""
    if st.session_state.pop(REFUSED_KEY, False):
        st.warning(t("filter.as_of_refused", lang, low=fmt_date(MIN_AS_OF, lang), high=fmt_date(dt.date.today(), lang)),
                   icon=":material/event_busy:")


def current_lang() -> str:
    """The language, from the session or else the URL (``?lang=en``); French by default."""
    if st.session_state.get("lang") not in LANGS:  # first run, or a language switch left unselected
        asked = st.query_params.get("lang")
        st.session_state["lang"] = asked if asked in LANGS else DEFAULT_LANG
    return st.session_state["lang"]


def language_switch(lang: str) -> None:
    """The sign-in page's French / English switch (the sidebar's is not there yet). The choice is
    written to the address (``?lang=``), which the sign-in form returns to: the pages open in it."""
    st.segmented_control(t("chx.lang", lang), options=list(LANGS), key="lang",
                         format_func=lambda code: {"fr": "Français", "en": "English"}[code])
    if st.session_state.get("lang") is None:  # segmented controls can be unselected: keep a language
        st.session_state["lang"] = lang
    if st.query_params.get("lang") != st.session_state["lang"]:
        st.query_params["lang"] = st.session_state["lang"]


def _reset_for_programme() -> None:
    """A new programme: its own countries and its own default as-of date."""
    st.session_state["countries"] = []
    st.session_state["as_of"] = data.default_as_of(st.session_state["programme"])


def sidebar(lang: str, scope: Scope) -> Filters:
    """Draw the filters in the sidebar and return the current selection (within ``scope``)."""
    ss = st.session_state
    visible = scoped.programmes(scope)
    codes = visible["code"].tolist()
    names = dict(zip(visible["code"], visible["name"]))
    with st.sidebar:
        st.segmented_control(t("filter.lang", lang), options=list(LANGS), key="lang",
                             format_func=lambda code: {"fr": "Français", "en": "English"}[code])
        if ss.get("lang") is None:  # segmented controls can be unselected: keep a language
            ss["lang"] = lang
        if not codes:
            _write_params(Filters(None, (), None, lang))
            return Filters(None, (), None, lang)

        if ss.get("programme") not in codes:
            asked = st.query_params.get("programme")
            ss["programme"] = asked if asked in codes else default_programme(codes, data.is_demo())
            known = scoped.countries_of(scope, ss["programme"])
            asked_countries = [c for c in (st.query_params.get("countries") or "").split(",") if c in known]
            ss["countries"] = asked_countries
            ss["as_of"] = _asked_as_of(lang) or data.default_as_of(ss["programme"])
        if not isinstance(ss.get("as_of"), dt.date):
            ss["as_of"] = data.default_as_of(ss["programme"])
        if not MIN_AS_OF <= ss["as_of"] <= dt.date.today():  # the date widget would raise
            ss["as_of"] = min(max(ss["as_of"], MIN_AS_OF), dt.date.today())
        st.selectbox(t("filter.programme", lang), codes, key="programme", on_change=_reset_for_programme,
                     format_func=lambda code: f"{code} — {names.get(code, '')}")
        known = scoped.countries_of(scope, ss["programme"])
        ss["countries"] = [c for c in ss.get("countries", []) if c in known]
        st.multiselect(t("filter.countries", lang), known, key="countries", help=t("filter.countries_help", lang),
                       placeholder=t("filter.countries_all", lang),
                       format_func=lambda iso3: country_name(iso3, lang))
        as_of_field(lang)
        if st.button(t("filter.reset_as_of", lang)):
            ss["as_of"] = data.default_as_of(ss["programme"])
            st.rerun()
        st.caption(t("filter.share", lang))
    filters = Filters(ss["programme"], tuple(ss["countries"]), ss["as_of"], ss["lang"])
    _write_params(filters)
    return filters


#: The typed as-of date (text) and the (date, language) it was last written from.
AS_OF_TEXT, AS_OF_SHOWN, AS_OF_BAD = "as_of_text", "as_of_shown", "as_of_bad"


def format_as_of(day: dt.date, lang: str) -> str:
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def parse_as_of(text: str, lang: str) -> dt.date | None:
    """A typed as-of date: ``YYYY-MM-DD`` in both languages, ``DD/MM/YYYY`` (or with ``-`` or
    ``.``, one-digit day or month) in French; None for anything else or an impossible date."""
    text = (text or "").strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else _french_date(text, lang)
    except ValueError:
        return None


def _french_date(text: str, lang: str) -> dt.date | None:
    if lang != "fr":
        return None
    parts = text.replace("-", "/").replace(".", "/").split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4 or max(map(len, parts[:2])) > 2:
        return None
    return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))


def _as_of_typed() -> None:
    """The as-of field changed (Enter, or leaving the field): apply a valid date, else keep the
    current one and say why (shown by :func:`as_of_field`)."""
    ss = st.session_state
    lang = ss.get("lang") or DEFAULT_LANG
    day = parse_as_of(ss[AS_OF_TEXT], lang)
    if day is None or not MIN_AS_OF <= day <= dt.date.today():
        ss[AS_OF_BAD] = ss[AS_OF_TEXT]
        day = ss["as_of"]
    ss["as_of"] = day
    ss[AS_OF_TEXT], ss[AS_OF_SHOWN] = format_as_of(day, lang), (day, lang)


def as_of_field(lang: str) -> None:
    """The as-of date as a text field: Streamlit 1.67's ``st.date_input`` applies a typed date only
    when the field loses focus (Enter does nothing, in a form too), a text field on Enter as well.
    ``session_state["as_of"]`` stays the date every page reads; the field shows it in the
    language's format and is rewritten whenever the date or the language changes elsewhere (link,
    programme, "Default date")."""
    ss = st.session_state
    if ss.get(AS_OF_SHOWN) != (ss["as_of"], lang):
        ss[AS_OF_TEXT], ss[AS_OF_SHOWN] = format_as_of(ss["as_of"], lang), (ss["as_of"], lang)
    st.text_input(t("filter.as_of", lang), key=AS_OF_TEXT, on_change=_as_of_typed, max_chars=10,
                  placeholder=t("chx.as_of_format", lang), help=t("filter.as_of_help", lang))
    bad = ss.pop(AS_OF_BAD, None)
    if bad is not None:
        st.warning(t("chx.as_of_bad", lang, text=md(bad), format=t("chx.as_of_format", lang),
                     low=fmt_date(MIN_AS_OF, lang), high=fmt_date(dt.date.today(), lang)),
                   icon=":material/event_busy:")


def _write_params(filters: Filters) -> None:
    wanted = {"lang": filters.lang}
    if filters.programme:
        wanted["programme"] = filters.programme
    if filters.countries:
        wanted["countries"] = ",".join(filters.countries)
    if filters.as_of:
        wanted["as_of"] = filters.as_of.isoformat()
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
