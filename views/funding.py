"""Diversification des financements / Funding diversification: shares by funder and type, HHI and
its band, the yearly trend, the pipeline, the grant end dates (funding cliff) and a stress test."""
import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.finance import signed_grants, stress_test
from dashboard.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, t
from dashboard.metrics.funding import band
from dashboard.metrics.thresholds import DEFAULT as TH
from dashboard.ui import access, data, scoped
from dashboard.ui import widgets as w

f = st.session_state["filters"]
lang = f.lang
scope = access.scope()

with w.friendly_errors(lang):
    st.title(t("fu.title", lang))
    if data.is_demo():
        st.info(t("demo.banner", lang), icon=":material/science:")
    if f.programme is None:
        st.info(t("empty.no_programme", lang), icon=":material/info:")
        st.stop()

    # The organisation-wide view is for the roles that see every programme.
    choices = ["programme", "organisation"] if scope.programmes is None else ["programme"]
    scope_choice = st.segmented_control(
        t("fu.scope", lang), choices, default="programme", key="funding_scope",
        format_func=lambda s: t(f"fu.scope.{s}", lang, code=f.programme))
    target = None if scope_choice == "organisation" else f.programme
    st.caption(t("fu.as_of", lang, as_of=fmt_date(f.as_of, lang)))

    fu = scoped.funding(scope, target, f.as_of)
    figures, signed, grants = fu["figures"], fu["signed"], fu["grants"]
    type_labels = {code: t(f"ftype.{code}", lang) for code in charts.TYPE_COLOURS}

    if signed.empty:
        st.info(t("fu.empty", lang), icon=":material/info:")
    else:
        cols = st.columns(4)
        with cols[0]:
            w.headline(t("fu.signed", lang), fmt_money(figures["total_signed"], lang), None, lang,
                       rule=t("fu.signed_help", lang))
        with cols[1]:
            w.headline(t("fu.hhi", lang), fmt_number(figures["hhi"], lang, 2), figures["band"], lang,
                       rule=f"{fmt_number(figures['hhi'] * 10000, lang)} / 10 000")
        with cols[2]:
            w.headline(t("fu.effective", lang), fmt_number(figures["effective_funders"], lang, 1), None, lang,
                       rule=t("fu.effective_help", lang))
        with cols[3]:
            top_name = signed.loc[signed["funder_code"] == figures["top_funder"], "funder_name"].iloc[0]
            w.headline(t("fu.top", lang), fmt_percent(figures["top_share"], lang), None, lang,
                       rule=f"{top_name} · " + t("fu.top_help", lang, top3=fmt_percent(figures["top3_share"], lang)))
        st.info(t("fu.band_rule", lang), icon=":material/info:")

        left, right = st.columns(2)
        signed["label"] = signed["funder_code"]  # names are in the table below: short labels keep the bars wide
        left.plotly_chart(charts.shares_bar(signed, "label", "funder_type",
                                            t("ch.shares_funder", lang, as_of=fmt_date(f.as_of, lang)), lang,
                                            type_labels), key="by_funder")
        by_type = pd.DataFrame({"funder_type": list(figures["by_type"]), "share": list(figures["by_type"].values())})
        by_type = by_type.sort_values("share", ascending=False)
        by_type["label"] = [type_labels.get(x, x) for x in by_type["funder_type"]]
        right.plotly_chart(charts.shares_bar(by_type, "label", "funder_type",
                                             t("ch.shares_type", lang, as_of=fmt_date(f.as_of, lang)), lang,
                                             type_labels), key="by_type")
        table = pd.DataFrame({
            t("fu.col.code", lang): signed["funder_code"], t("fu.col.funder", lang): signed["funder_name"],
            t("fu.col.type", lang): [type_labels.get(x, x) for x in signed["funder_type"]],
            t("fu.col.amount", lang): signed["amount_eur"], t("fu.col.share", lang): signed["share"],
        })
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            t("fu.col.amount", lang): st.column_config.NumberColumn(format="localized"),
            t("fu.col.share", lang): st.column_config.NumberColumn(format="percent")})
        w.downloads(table, f"financements_{target or 'organisation'}_{f.as_of}", lang, key="shares")

        # --- trend ----------------------------------------------------------------------------
        st.subheader(t("fu.trend", lang))
        bars, line = charts.trend(fu["per_type"], fu["hhi"], f.as_of, lang, type_labels)
        left, right = st.columns(2)
        left.plotly_chart(bars, key="trend")
        right.plotly_chart(line, key="hhi_trend")

    # --- pipeline -------------------------------------------------------------------------------
    st.subheader(t("fu.pipeline", lang))
    pipe = grants[grants["status"].isin(["prospect", "submitted"])].copy()
    if pipe.empty:
        st.info(t("fu.no_pipeline", lang), icon=":material/info:")
    else:
        st.plotly_chart(charts.pipeline(pipe, lang), key="pipeline")
        st.caption(t("fu.pipeline_total", lang, weighted=fmt_money(pipe["weighted_eur"].sum(), lang),
                     raw=fmt_money(pipe["amount_eur"].sum(), lang)))
        table = pd.DataFrame({
            t("fu.col.grant", lang): pipe["code"], t("fu.col.programme", lang): pipe["programme_code"],
            t("fu.col.funder", lang): pipe["funder_name"],
            t("fu.col.status", lang): [t(f"grant.{s}", lang) for s in pipe["status"]],
            t("fu.col.amount", lang): pipe["amount_eur"], t("fu.col.probability", lang): pipe["probability_used"],
            t("fu.col.weighted", lang): pipe["weighted_eur"],
        })
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            t("fu.col.amount", lang): st.column_config.NumberColumn(format="localized"),
            t("fu.col.weighted", lang): st.column_config.NumberColumn(format="localized"),
            t("fu.col.probability", lang): st.column_config.NumberColumn(format="percent")})
        w.downloads(table, f"demandes_{target or 'organisation'}", lang, key="pipeline")

    # --- funding cliff --------------------------------------------------------------------------
    st.subheader(t("fu.cliff", lang))
    active = signed_grants(grants, f.as_of)
    if active.empty:
        st.info(t("fu.empty", lang), icon=":material/info:")
    else:
        active["label"] = [f"{c} · {n}" for c, n in zip(active["code"], active["funder_name"])]
        st.plotly_chart(charts.timeline(active, fu["cliff"], f.as_of, lang), key="timeline")
        st.caption(t("fu.cliff_help", lang, months=TH.grant_cliff_months))
        table = pd.DataFrame({
            t("fu.col.grant", lang): active["code"], t("fu.col.programme", lang): active["programme_code"],
            t("fu.col.funder", lang): active["funder_name"], t("fu.col.amount", lang): active["amount_eur"],
            t("fu.col.start", lang): active["start_date"], t("fu.col.end", lang): active["end_date"],
            t("fu.col.in_kind", lang): active["in_kind"],
            t("fu.col.flag", lang): [c in fu["cliff"] for c in active["code"]],
        })
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            t("fu.col.amount", lang): st.column_config.NumberColumn(format="localized")})
        w.downloads(table, f"echeancier_{target or 'organisation'}", lang, key="cliff")

    # --- stress test ----------------------------------------------------------------------------
    if not signed.empty:
        st.subheader(t("fu.stress", lang))
        amounts = dict(zip(signed["funder_code"], signed["amount_eur"].astype(float)))
        names = dict(zip(signed["funder_code"], signed["funder_name"]))
        removed = st.selectbox(t("fu.stress_pick", lang), list(amounts), key="stress_funder",
                               format_func=lambda c: f"{names[c]} ({c}) — {fmt_money(amounts[c], lang)}")
        result = stress_test(amounts, removed, fu["budget"])
        st.caption(t("fu.stress_budget", lang, budget=fmt_money(fu["budget"], lang),
                     coverage=fmt_percent(figures["total_signed"] / fu["budget"] if fu["budget"] else None, lang)))
        cols = st.columns(3)
        cols[0].metric(t("fu.stress_coverage", lang), fmt_percent(result["coverage"], lang))
        cols[1].metric(t("fu.stress_gap", lang), fmt_money(result["gap"], lang))
        with cols[2]:
            st.metric(t("fu.stress_hhi", lang), fmt_number(result["hhi"], lang, 2))
            w.badge(band(result["hhi"]), lang)
