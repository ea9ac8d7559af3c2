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
from ..i18n import DEFAULT_LANG, LANGS, country_name, t
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


def current_lang() -> str:
    """The language, from the session or else the URL (``?lang=en``); French by default."""
    if "lang" not in st.session_state:
        asked = st.query_params.get("lang")
        st.session_state["lang"] = asked if asked in LANGS else DEFAULT_LANG
    return st.session_state["lang"]


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
            ss["as_of"] = _param_date(st.query_params.get("as_of")) or data.default_as_of(ss["programme"])
        st.selectbox(t("filter.programme", lang), codes, key="programme", on_change=_reset_for_programme,
                     format_func=lambda code: f"{code} — {names.get(code, '')}")
        known = scoped.countries_of(scope, ss["programme"])
        ss["countries"] = [c for c in ss.get("countries", []) if c in known]
        st.multiselect(t("filter.countries", lang), known, key="countries", help=t("filter.countries_help", lang),
                       placeholder=t("filter.countries_all", lang),
                       format_func=lambda iso3: country_name(iso3, lang))
        st.date_input(t("filter.as_of", lang), key="as_of", max_value=dt.date.today(),
                      min_value=dt.date(2000, 1, 1), help=t("filter.as_of_help", lang),
                      format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD")
        if st.button(t("filter.reset_as_of", lang)):
            ss["as_of"] = data.default_as_of(ss["programme"])
            st.rerun()
        st.caption(t("filter.share", lang))
    filters = Filters(ss["programme"], tuple(ss["countries"]), ss["as_of"], ss["lang"])
    _write_params(filters)
    return filters


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
