"""Explanations of gaps on the pages: cached reads (keyed by the data version, like every figure),
scoped to what the viewer may read, and the section a page draws under the figures it explains:
the explanations (an icon with the text, latest first), for writers the items still waiting for
one ("explication attendue") and a form to add or edit one."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import comments as cm
from .. import kpis
from ..auth import Scope
from ..i18n import country_name, fmt_date, t
from . import data, scoped
from . import widgets as w


@data.cached
def _visible(code: str, as_of: dt.date, countries: tuple[str, ...], restricted: frozenset[str] | None,
             funder_view: bool) -> list[dict]:
    with data.engine().connect() as conn:
        return cm.visible(conn, code, as_of, countries, restricted, funder_view)


def visible(scope: Scope, code: str, as_of: dt.date, countries=()) -> list[dict]:
    """The explanations ``scope`` may read (funders: shared ones only, never a budget line)."""
    scope.require_read(code)
    wanted = tuple(sorted(countries or ()))
    restricted = None if scope.countries is None else frozenset(scope.countries)
    return _visible(code, as_of, wanted, restricted, not scope.sees_internal_finance)


def expected(scope: Scope, code: str, as_of: dt.date, countries, found: list[dict], lines: list[dict],
             subjects: tuple[str, ...] = cm.SUBJECTS, figures: dict | None = None) -> list[dict]:
    """Items of ``subjects`` in red or behind with no explanation for the quarter of ``as_of``
    (writers only), within the countries ``scope`` may write. Indicator rows need the
    ``indicators`` and ``countries`` blocks of ``kpis``: ``figures`` when the page has them already
    (computed by the same functions), else ``kpis``; a country's budget status alone comes from the
    budget lines (``lines``, every line of the countries in view), as ``kpis`` would give it,
    without computing the rest of ``kpis``."""
    if not scope.writes:
        return []
    chosen = scope.visible_countries(countries)
    indicators, country_block = [], {}
    if "indicator" in subjects:
        k = figures if figures is not None else scoped.kpis(scope, code, as_of, countries)
        indicators = k["indicators"] if not chosen else [r for r in k["indicators"] if r["country"] in chosen]
        country_block = {c: v for c, v in k["countries"].items() if not chosen or c in chosen}
    elif "country" in subjects:
        country_block = {c: v for c, v in kpis.country_budget_statuses(lines, data.programme(code), as_of).items()
                         if not chosen or c in chosen}
    items = cm.expected(found, indicators, lines, country_block, cm.reporting_day(as_of, data.programme(code).end))
    return [i for i in items if i["subject"] in subjects and scope.can_write(code, i["country"] or None)]


def _plain(text: str) -> str:
    """``text`` shown literally by a markdown element: codes, e-mail addresses and dates come from
    the data, so every markdown character (and Streamlit's ``:colour[...]`` directives) is escaped."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$:=" else ch for ch in text)


def _where(item: dict, lang: str) -> str:
    place = country_name(item["country"], lang) if item["country"] else t("com.where_programme", lang)
    subject = t(f"com.subject.{item['subject']}", lang)
    return f"{subject} · {place}" if item["subject"] == "country" else f"{subject} {item['code']} · {place}"


def section(scope: Scope, code: str, as_of: dt.date, countries, lang: str, subjects: tuple[str, ...],
            key: str, lines=None, figures=None) -> None:
    """The explanations of ``subjects`` (indicator, budget_line, country) under a page's figures.
    ``lines``: a function giving the budget lines; ``figures``: one giving the ``indicators`` and
    ``countries`` blocks of ``kpis`` at ``as_of`` (both read for writers only, who see what waits)."""
    every = visible(scope, code, as_of, countries)
    found = [c for c in every if c["subject"] in subjects]
    waiting = expected(scope, code, as_of, countries, every, lines() if lines and scope.writes else [], subjects,
                       figures() if figures and scope.writes else None)
    # Material icons ship with Streamlit's font; an emoji needs an emoji font (missing on many servers'
    # and some readers' machines: it printed a blank box)
    with st.expander(f"{t('com.title', lang)} ({len(found)})", expanded=bool(found or waiting),
                     icon=":material/forum:"):
        if not found:
            st.caption(t("com.none", lang))
        for c in found:  # latest first
            meta = [_where({**c, "country": c["country_iso3"]}, lang),
                    t("com.period", lang, date=fmt_date(c["period_end"], lang))]
            if scope.sees_internal_finance and c["author"]:
                meta.append(t("com.by", lang, author=c["author"], date=fmt_date(c["written_at"], lang)))
            if c["shared_with_funders"] and scope.sees_internal_finance:
                meta.append(t("com.shared", lang))
            if c["version"] > 1:
                meta.append(t("com.version", lang, n=c["version"]))
            st.caption(":material/chat_bubble: " + _plain(" · ".join(meta)))
            st.text(c["text"])
        if waiting:
            start, end = cm.quarter_bounds(cm.reporting_day(as_of, data.programme(code).end))
            st.warning(t("com.expected_list", lang, n=len(waiting), start=fmt_date(start, lang),
                         end=fmt_date(end, lang)), icon=":material/edit_note:")
            st.dataframe([{t("com.item", lang): _where(i, lang), t("pk.col.status", lang): w.status_label(i["status"], lang),
                           "": t("com.expected", lang)} for i in waiting], hide_index=True, width="stretch")
        if scope.sees_internal_finance:
            _export_button(scope, code, lang, key)
        if scope.writes:
            _form(scope, code, as_of, lang, subjects, key, waiting)


@data.cached
def _export(code: str, countries: frozenset[str] | None) -> list[dict]:
    with data.engine().connect() as conn:
        return cm.export_rows(conn, code, countries)


def _export_button(scope: Scope, code: str, lang: str, key: str) -> None:
    """The programme's explanations as the ``comments`` sheet (Excel), to edit and import again."""
    import pandas as pd

    from ..importer.spec import SHEETS

    rows = _export(code, None if scope.countries is None else frozenset(scope.countries))
    frame = pd.DataFrame(rows, columns=SHEETS["comments"].column_names)
    st.download_button(t("com.export", lang), lambda: w.to_xlsx(frame, "comments"), f"comments_{code}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}-export",
                       icon=":material/download:")


def _form(scope: Scope, code: str, as_of: dt.date, lang: str, subjects, key: str, waiting: list[dict]) -> None:
    flash = st.session_state.pop(f"{key}-saved", None)
    if flash is not None:
        st.success(t("com.saved", lang, n=flash), icon=":material/check_circle:")
    with st.form(f"comment-{key}", clear_on_submit=False, border=True):
        st.markdown(f"**{t('com.add', lang)}**")
        choices = [(i["subject"], i["code"], i["country"]) for i in waiting]
        left, middle, right = st.columns(3)
        subject = left.selectbox(t("com.subject", lang), list(subjects), key=f"{key}-subject",
                                 format_func=lambda s: t(f"com.subject.{s}", lang))
        item_code = middle.text_input(t("com.item", lang), key=f"{key}-code",
                                      placeholder=", ".join(c[1] for c in choices[:3] if c[1]))
        country = right.selectbox(t("com.subject.country", lang), ["", *scoped.countries_of(scope, code)],
                                  key=f"{key}-country",
                                  format_func=lambda c: country_name(c, lang) if c else t("com.where_programme", lang))
        period = st.date_input(t("com.period_end", lang),
                               value=cm.quarter_bounds(cm.reporting_day(as_of, data.programme(code).end))[1],
                               key=f"{key}-period")
        text = st.text_area(t("com.text", lang), max_chars=cm.MAX_LENGTH, key=f"{key}-text")
        share = st.checkbox(t("com.share", lang), value=False, key=f"{key}-share")
        if st.form_submit_button(t("com.save", lang), icon=":material/save:"):
            result = cm.save(data.engine(), scope, {
                "programme_code": code, "subject": subject, "code": item_code.strip() or None,
                "country_iso3": country or None, "period_end": period, "text": text, "shared_with_funders": share})
            if result.denied:
                st.error(t("com.denied", lang), icon=":material/block:")
            elif not result.ok:
                for issue in result.issues:
                    st.error(t("com.invalid", lang, message=f"{issue.column or ''} {issue.message(lang)}".strip()),
                             icon=":material/error:")
            else:  # shown at once: this run reads the new data version, then draws again
                st.session_state[f"{key}-saved"] = result.version
                data.sync_version()
                st.rerun()
