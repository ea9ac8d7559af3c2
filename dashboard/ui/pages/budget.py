"""Risque budgétaire / Budget risk: budget vs spent, the spend curve against the linear plan and
the forecast, budget lines with their status, cash exposure, funding coverage and gap."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ... import charts
from ... import finance as fin
from ... import kpis as k
from ...finance import by_dimension, line_table
from ...i18n import country_name, fmt_date, fmt_money, fmt_number, fmt_percent, t
from ...metrics.thresholds import DEFAULT as TH
from ...db import records
from ...textsafe import filename, md
from .. import comments, data, scoped
from .. import widgets as w
from . import heading, start


def fetch(conn, code: str, as_of: dt.date, countries: tuple[str, ...]) -> dict:
    """The page's data step: only the figures it shows (the budget block of ``kpis``, the lines,
    the spend and cash curves), aggregated in SQL, on one connection."""
    prog = k.get_programme(conn, code)
    lines = k.budget_lines(conn, prog, as_of, list(countries) or None)
    b = k.budget_summary(conn, prog, as_of, list(countries) or None, lines)
    if lines.empty:
        return {"prog": prog, "b": b, "lines": lines, "curve": None, "cash": None}
    return {"prog": prog, "b": b, "lines": lines,
            "curve": fin.spend_curve(conn, prog, as_of, list(countries) or None, budget=b["budget"]),
            "cash": fin.cash_curve(conn, prog, as_of)}


@data.cached
def model(code: str, as_of: dt.date, countries: tuple[str, ...], lang: str) -> dict:
    """The page's figures, charts (plotly dicts) and line table for one programme, date, country
    filter and language. Internal finance: :func:`scoped.internal_model` checks the scope first."""
    with data.engine().connect() as conn:
        d = fetch(conn, code, as_of, countries)
    prog, b, lines, curve, cash = d["prog"], d["b"], d["lines"], d["curve"], d["cash"]
    m = {"prog": prog, "b": b, "empty": lines.empty}
    if lines.empty:
        return m
    m["curve"] = None if curve["spent"].dropna().empty else charts.spend_curve(curve, as_of, lang)
    # the caption speaks of the forecast only when the chart draws one
    m["curve_help"] = "bu.curve_help" if curve["forecast"].notna().any() else "chx.curve_help_no_forecast"
    by_country = by_dimension(lines, "country_iso3")
    by_country["label"] = [country_name(c or None, lang) for c in by_country["country_iso3"]]
    m["by_country"] = charts.budget_vs_spent(
        by_country, "label", t("ch.by_country", lang, as_of=fmt_date(as_of, lang)), lang)
    by_category = by_dimension(lines, "category")
    by_category["label"] = [t(f"cat.{c}", lang) for c in by_category["category"]]
    m["by_category"] = charts.budget_vs_spent(
        by_category, "label", t("ch.by_category", lang, as_of=fmt_date(as_of, lang)), lang)
    table = line_table(lines)
    m["lines"] = pd.DataFrame({
        t("bu.col.code", lang): table["code"],
        t("bu.col.label", lang): table["label"],
        t("bu.col.country", lang): [country_name(c, lang) for c in table["country_iso3"]],
        t("bu.col.category", lang): [t(f"cat.{c}", lang) for c in table["category"]],
        t("bu.col.currency", lang): table["currency"],
        t("bu.col.amount_local", lang): table["amount"],
        # Spent in the line's currency, when every voucher is in that currency.
        t("bu.col.spent_local", lang): [s if n == 0 else None for s, n in zip(table["spent_local"],
                                                                               table["foreign_vouchers"])],
        t("bu.col.amount_eur", lang): table["amount_eur"],
        t("bu.col.spent_eur", lang): table["spent_eur"],
        t("bu.col.execution", lang): table["execution"],
        t("bu.col.burn", lang): table["burn_index"],
        t("bu.col.status", lang): [w.status_label(s, lang) for s in table["status"]],
    })
    m["cash"] = None if cash.empty else charts.cash(cash, as_of, lang)
    return m


def render() -> None:
    f, lang, scope = start("nav.budget")

    with w.friendly_errors(lang):
        m = scoped.internal_model(scope, model, f.programme, f.as_of, f.countries, lang)
        prog, b = m["prog"], m["b"]
        heading(t("nav.budget", lang), lang, prog)
        w.context_caption(prog, f, b["elapsed"], lang)
        if m["empty"]:
            st.info(t("bu.empty", lang), icon=":material/info:")
            st.stop()

        cols = st.columns(3)
        with cols[0]:
            w.headline(t("bu.budget", lang), fmt_money(b["budget"], lang), None, lang)
        with cols[1]:
            w.headline(t("bu.spent", lang), fmt_money(b["spent"], lang), None, lang,
                       rule=t("bu.spent_help", lang, execution=fmt_percent(b["execution"], lang),
                              elapsed=fmt_percent(b["elapsed"], lang)))
        with cols[2]:
            w.headline(t("ov.burn", lang), fmt_number(b["burn_index"], lang, 2), b["status"], lang,
                       rule=t("ov.burn_rule", lang, over=fmt_number(TH.overspend_burn, lang, 2),
                              under=fmt_number(TH.underspend_burn, lang, 2),
                              min_elapsed=fmt_percent(TH.underspend_min_elapsed, lang)))
        cols = st.columns(3)
        with cols[0]:
            w.headline(t("bu.eac", lang), fmt_money(b["eac"], lang), None, lang,
                       rule=t("bu.eac_help", lang, vac=fmt_money(b["vac"], lang)))
        with cols[1]:
            w.headline(t("ov.coverage", lang), fmt_percent(b["coverage"], lang), None, lang,
                       rule=t("ov.coverage_help", lang, signed=fmt_money(b["funding_signed"], lang),
                              gap=fmt_money(b["gap"], lang)))
        with cols[2]:
            w.headline(t("ov.cash", lang), fmt_money(b["cash_exposure"], lang), None, lang,
                       rule=t("ov.cash_help", lang, received=fmt_money(b["received"], lang)))
        if f.countries:
            st.caption(t("bu.programme_level", lang))
        st.caption(t("bu.currency_note", lang))

        # --- spend curve ------------------------------------------------------------------------
        if m["curve"] is None:
            st.info(t("bu.no_spending", lang), icon=":material/info:")
        else:
            w.chart(st, m["curve"], key="curve")
            st.caption(t(m["curve_help"], lang))

        # --- by country and category ------------------------------------------------------------
        left, right = st.columns(2)
        w.chart(left, m["by_country"], key="by_country")
        w.chart(right, m["by_category"], key="by_category")

        # --- budget lines -----------------------------------------------------------------------
        st.subheader(t("bu.lines", lang))
        shown = m["lines"]
        money = st.column_config.NumberColumn(format="localized")
        st.dataframe(shown, hide_index=True, width="stretch", height=420, column_config={
            t("bu.col.amount_local", lang): money, t("bu.col.spent_local", lang): money,
            t("bu.col.amount_eur", lang): money, t("bu.col.spent_eur", lang): money,
            t("bu.col.execution", lang): st.column_config.ProgressColumn(format="percent", min_value=0,
                                                                         max_value=1.5),
            t("bu.col.burn", lang): st.column_config.NumberColumn(format="%.2f"),
        })
        w.downloads(shown, f"lignes_budgetaires_{filename(prog.code)}_{f.as_of}", lang, key="lines")
        comments.section(scope, f.programme, f.as_of, f.countries, lang, ("budget_line", "country"), key="budget",
                         lines=records(data.budget_lines(f.programme, f.as_of, scope.visible_countries(f.countries))))

        # --- cash -------------------------------------------------------------------------------
        if m["cash"] is None:
            st.info(t("bu.no_cash", lang), icon=":material/info:")
        else:
            w.chart(st, m["cash"], key="cash")
