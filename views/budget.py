"""Risque budgétaire / Budget risk: budget vs spent, the spend curve against the linear plan and
the forecast, budget lines with their status, cash exposure, funding coverage and gap."""
import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.finance import by_dimension, line_table
from dashboard.i18n import country_name, fmt_date, fmt_money, fmt_number, fmt_percent, t
from dashboard.metrics.thresholds import DEFAULT as TH
from dashboard.ui import access, data, scoped
from dashboard.ui import widgets as w

f = st.session_state["filters"]
lang = f.lang
scope = access.scope()

with w.friendly_errors(lang):
    if f.programme is None:
        st.title(t("nav.budget", lang))
        st.info(t("empty.no_programme", lang), icon=":material/info:")
        st.stop()

    prog = scoped.programme(scope, f.programme)
    k = scoped.kpis(scope, f.programme, f.as_of, f.countries)
    b = k["budget"]
    st.title(t("bu.title", lang, code=prog.code))
    if data.is_demo():
        st.info(t("demo.banner", lang), icon=":material/science:")
    w.context_caption(prog, f, b["elapsed"], lang)

    lines = scoped.budget_lines(scope, f.programme, f.as_of, f.countries)
    if lines.empty:
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
    curve = scoped.spend_curve(scope, f.programme, f.as_of, f.countries)
    if curve["spent"].dropna().empty:
        st.info(t("bu.no_spending", lang), icon=":material/info:")
    else:
        st.plotly_chart(charts.spend_curve(curve, f.as_of, lang), key="curve")
        st.caption(t("bu.curve_help", lang))

    # --- by country and category ------------------------------------------------------------
    left, right = st.columns(2)
    by_country = by_dimension(lines, "country_iso3")
    by_country["label"] = [country_name(c or None, lang) for c in by_country["country_iso3"]]
    left.plotly_chart(charts.budget_vs_spent(by_country, "label", t("ch.by_country", lang, as_of=fmt_date(f.as_of, lang)),
                                             lang), key="by_country")
    by_category = by_dimension(lines, "category")
    by_category["label"] = [t(f"cat.{c}", lang) for c in by_category["category"]]
    right.plotly_chart(charts.budget_vs_spent(by_category, "label",
                                              t("ch.by_category", lang, as_of=fmt_date(f.as_of, lang)), lang),
                       key="by_category")

    # --- budget lines -----------------------------------------------------------------------
    st.subheader(t("bu.lines", lang))
    table = line_table(lines)
    shown = pd.DataFrame({
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
    money = st.column_config.NumberColumn(format="localized")
    st.dataframe(shown, hide_index=True, width="stretch", height=420, column_config={
        t("bu.col.amount_local", lang): money, t("bu.col.spent_local", lang): money,
        t("bu.col.amount_eur", lang): money, t("bu.col.spent_eur", lang): money,
        t("bu.col.execution", lang): st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1.5),
        t("bu.col.burn", lang): st.column_config.NumberColumn(format="%.2f"),
    })
    w.downloads(shown, f"lignes_budgetaires_{prog.code}_{f.as_of}", lang, key="lines")

    # --- cash -------------------------------------------------------------------------------
    cash = scoped.cash_curve(scope, f.programme, f.as_of)
    if cash.empty:
        st.info(t("bu.no_cash", lang), icon=":material/info:")
    else:
        st.plotly_chart(charts.cash(cash, f.as_of, lang), key="cash")
