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
from ...textsafe import filename
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
    m["lines"], m["lines_colours"], m["lines_kinds"] = lines_frame(line_table(lines), lang)
    # what the explanations section needs of each line (writers see the lines waiting for one)
    m["line_records"] = records(lines[["code", "country_iso3", "status", "amount_eur", "spent_eur"]])
    # the table draws execution as a bar of percentage points ("87 %" in French, "87%" in English)
    execution = t("bu.col.execution", lang)
    m["lines_bars"] = m["lines"].assign(**{execution: [None if v is None or v != v else v * 100
                                                      for v in m["lines"][execution]]})
    m["cash"] = None if cash.empty else charts.cash(cash, as_of, lang)
    return m


def lines_frame(table: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list, dict]:
    """The budget lines as the page shows and downloads them: what a manager acts on first (status,
    line, euros, execution), then the line's own currency; the status colours; the columns' kinds."""
    col = {c: t(f"bu.col.{c}", lang) for c in ("status", "code", "label", "country", "amount_eur", "spent_eur",
                                                "execution", "burn", "category", "currency", "amount_local",
                                                "spent_local")}
    frame = pd.DataFrame({
        col["status"]: [w.status_label(s, lang) for s in table["status"]],
        col["code"]: table["code"],
        col["label"]: table["label"],
        col["country"]: [country_name(c, lang) for c in table["country_iso3"]],
        col["amount_eur"]: table["amount_eur"].astype(float),
        col["spent_eur"]: table["spent_eur"].astype(float),
        col["execution"]: table["execution"],
        col["burn"]: table["burn_index"],
        col["category"]: [t(f"cat.{c}", lang) for c in table["category"]],
        col["currency"]: table["currency"],
        col["amount_local"]: table["amount"].astype(float),
        # Spent in the line's currency, when every voucher is in that currency.
        col["spent_local"]: [s if n == 0 else None for s, n in zip(table["spent_local"], table["foreign_vouchers"])],
    })
    kinds = {col["amount_eur"]: "money", col["spent_eur"]: "money", col["execution"]: "percent",
             col["burn"]: "decimal", col["amount_local"]: "amount", col["spent_local"]: "amount"}
    return frame, [w.status_fill(s) for s in table["status"]], kinds


def render() -> None:
    f, lang, scope = start("nav.budget")

    with w.friendly_errors(lang):
        m = scoped.internal_model(scope, model, f.programme, f.as_of, f.countries, lang)
        prog, b = m["prog"], m["b"]
        heading(t("nav.budget", lang), lang, prog)
        w.context_caption(prog, f, b["elapsed"], lang)
        if m["empty"]:
            w.empty("bu.empty", lang, scope)
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
        shown, bars, status = m["lines"], m["lines_bars"], t("bu.col.status", lang)
        execution = t("bu.col.execution", lang)
        w.table(bars, lang, kinds={**m["lines_kinds"], execution: "number"}, colours={status: m["lines_colours"]},
                key="budget_lines", height=min(460, 38 + 35 * len(bars)), column_config={
                    status: st.column_config.TextColumn(width=150),  # "sous-consommation" in full
                    t("bu.col.code", lang): st.column_config.TextColumn(width=120),
                    t("bu.col.label", lang): st.column_config.TextColumn(width=280),
                    execution: st.column_config.ProgressColumn(format=t("fmt.points", lang), min_value=0,
                                                               max_value=150, width="small"),
                })
        w.downloads(shown, f"lignes_budgetaires_{filename(prog.code)}_{f.as_of}", lang, key="lines",
                    sheet=t("bu.sheet", lang), kinds=m["lines_kinds"])
        comments.section(scope, f.programme, f.as_of, f.countries, lang, ("budget_line", "country"), key="budget",
                         lines=lambda: m["line_records"])

        # --- cash -------------------------------------------------------------------------------
        if m["cash"] is None:
            st.info(t("bu.no_cash", lang), icon=":material/info:")
        else:
            w.chart(st, m["cash"], key="cash")
