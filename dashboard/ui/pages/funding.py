"""Diversification des financements / Funding diversification: shares by funder and type, HHI and
its band, the yearly trend, the pipeline, the grant end dates (funding cliff) and a stress test."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ... import charts
from ... import finance as fin
from ...i18n import fmt_date, fmt_money, fmt_number, fmt_percent, t
from ...metrics.funding import band
from ...metrics.thresholds import DEFAULT as TH
from ...textsafe import filename, md
from .. import data, scoped
from .. import widgets as w
from . import heading, start


#: A funder's name on a bar is wrapped onto lines of about this many characters.
FUNDER_LABEL_CHARS = 22


def funder_labels(codes, names) -> list[str]:
    """Each funder's name (its code when it has none); two funders of the same name get their
    code after it, as the bars of one axis must differ. Plain text: the chart escapes it."""
    labels = [(str(n).strip() if isinstance(n, str) and n.strip() else str(c)) for c, n in zip(codes, names)]
    seen = {x: labels.count(x) for x in labels}
    return [f"{x} ({c})" if seen[x] > 1 else x for x, c in zip(labels, codes)]


@data.cached
def model(target: str | None, as_of: dt.date, lang: str) -> dict:
    """The page's figures, charts (plotly dicts) and tables for one programme (``target``) or the
    organisation (None), a date and a language. :func:`scoped.funding_model` checks the scope first."""
    with data.engine().connect() as conn:
        signed, figures = fin.shares(conn, as_of, target)
        grants = fin.grants(conn, target)
        cliff = fin.cliff(conn, target, as_of)
        budget = fin.budget_total(conn, target)
    type_labels = {code: t(f"ftype.{code}", lang) for code in charts.TYPE_COLOURS}
    as_of_text = fmt_date(as_of, lang)
    m = {"figures": figures, "budget": budget, "signed_empty": signed.empty,
         "amounts": dict(zip(signed["funder_code"], signed["amount_eur"].astype(float))),
         "names": dict(zip(signed["funder_code"], signed["funder_name"]))}
    if not signed.empty:
        m["top_name"] = m["names"][figures["top_funder"]]
        signed["label"] = funder_labels(signed["funder_code"], signed["funder_name"])
        m["by_funder"] = charts.shares_bar(signed, "label", "funder_type", t("ch.shares_funder", lang, as_of=as_of_text),
                                           lang, type_labels, hover_column="funder_code",
                                           label_chars=FUNDER_LABEL_CHARS)
        by_type = pd.DataFrame({"funder_type": list(figures["by_type"]), "share": list(figures["by_type"].values())})
        by_type = by_type.sort_values("share", ascending=False)
        by_type["label"] = [type_labels.get(x, x) for x in by_type["funder_type"]]
        m["by_type"] = charts.shares_bar(by_type, "label", "funder_type", t("ch.shares_type", lang, as_of=as_of_text),
                                         lang, type_labels)
        m["shares"] = pd.DataFrame({
            t("fu.col.code", lang): signed["funder_code"], t("fu.col.funder", lang): signed["funder_name"],
            t("fu.col.type", lang): [type_labels.get(x, x) for x in signed["funder_type"]],
            t("fu.col.amount", lang): signed["amount_eur"], t("fu.col.share", lang): signed["share"],
        })
        per_type, hhi = fin.yearly_trend(grants, as_of)
        m["trend"], m["hhi_trend"] = charts.trend(per_type, hhi, as_of, lang, type_labels)

    pipe = grants[grants["status"].isin(["prospect", "submitted"])]
    m["pipeline"] = None
    if not pipe.empty:
        m["pipeline"] = charts.pipeline(pipe, lang)
        m["pipeline_totals"] = (float(pipe["weighted_eur"].sum()), float(pipe["amount_eur"].sum()))
        m["pipeline_table"] = pd.DataFrame({
            t("fu.col.grant", lang): pipe["code"], t("fu.col.programme", lang): pipe["programme_code"],
            t("fu.col.funder", lang): pipe["funder_name"],
            t("fu.col.status", lang): [t(f"grant.{s}", lang) for s in pipe["status"]],
            t("fu.col.amount", lang): pipe["amount_eur"], t("fu.col.probability", lang): pipe["probability_used"],
            t("fu.col.weighted", lang): pipe["weighted_eur"],
        })

    active = fin.signed_grants(grants, as_of)
    m["timeline"] = None
    if not active.empty:
        active["label"] = [f"{c} · {n}" for c, n in zip(active["code"], active["funder_name"])]
        m["timeline"] = charts.timeline(active, cliff, as_of, lang)
        m["cliff_table"] = pd.DataFrame({
            t("fu.col.grant", lang): active["code"], t("fu.col.programme", lang): active["programme_code"],
            t("fu.col.funder", lang): active["funder_name"], t("fu.col.amount", lang): active["amount_eur"],
            t("fu.col.start", lang): active["start_date"], t("fu.col.end", lang): active["end_date"],
            t("fu.col.in_kind", lang): active["in_kind"],
            t("fu.col.flag", lang): [c in cliff for c in active["code"]],
        })
    return m


def _iati_file(programme: str, as_of: dt.date) -> bytes:
    """The IATI 2.03 activities file of the programme, written when the button is clicked."""
    from ...iati.export import export_programme

    with data.engine().connect() as conn:
        return export_programme(conn, programme, as_of)


def render() -> None:
    f, lang, scope = start("nav.funding")

    with w.friendly_errors(lang):
        heading(t("fu.title", lang), lang)

        # The organisation-wide view is for the roles that see every programme.
        choices = ["programme", "organisation"] if scope.programmes is None else ["programme"]
        scope_choice = st.segmented_control(
            t("fu.scope", lang), choices, default="programme", key="funding_scope",
            format_func=lambda s: t(f"fu.scope.{s}", lang, code=md(f.programme)))  # options are Markdown
        target = None if scope_choice == "organisation" else f.programme
        st.caption(t("fu.as_of", lang, as_of=fmt_date(f.as_of, lang)))
        # IATI publication of the whole programme: for viewers who see all of its countries and money.
        if target is not None and scope.can_read(target) and scope.countries is None and scope.sees_internal_finance:
            st.download_button(t("fu.iati", lang), lambda: _iati_file(target, f.as_of), f"iati_{target}_{f.as_of}.xml",
                               "application/xml", key="iati", icon=":material/public:", help=t("fu.iati_help", lang))

        m = scoped.funding_model(scope, model, target, f.as_of, lang)
        figures = m["figures"]
        if m["signed_empty"]:
            w.empty("fu.empty", lang, scope)
        else:
            cols = st.columns(4)
            with cols[0]:
                w.headline(t("fu.signed", lang), fmt_money(figures["total_signed"], lang), None, lang,
                           rule=t("fu.signed_help", lang))
            with cols[1]:
                w.headline(t("fu.hhi", lang), fmt_number(figures["hhi"], lang, 2), figures["band"], lang,
                           rule=f"{fmt_number(figures['hhi'] * 10000, lang)} / {fmt_number(10000, lang)}")
            with cols[2]:
                w.headline(t("fu.effective", lang), fmt_number(figures["effective_funders"], lang, 1), None, lang,
                           rule=t("fu.effective_help", lang))
            with cols[3]:
                w.headline(t("fu.top", lang), fmt_percent(figures["top_share"], lang), None, lang,
                           rule=f"{md(m['top_name'])} · " + t("fu.top_help", lang,
                                                          top3=fmt_percent(figures["top3_share"], lang)))
            st.info(t("fu.band_rule", lang), icon=":material/info:")

            left, right = st.columns(2)
            w.chart(left, m["by_funder"], key="by_funder")
            w.chart(right, m["by_type"], key="by_type")
            kinds = {t("fu.col.amount", lang): "money", t("fu.col.share", lang): "percent"}
            w.table(m["shares"], lang, kinds=kinds, key="shares_table")
            w.downloads(m["shares"], f"financements_{filename(target or 'organisation')}_{f.as_of}", lang, key="shares",
                        sheet=t("fu.sheet.shares", lang), kinds=kinds)

            # --- trend ------------------------------------------------------------------------
            st.subheader(t("fu.trend", lang))
            left, right = st.columns(2)
            w.chart(left, m["trend"], key="trend")
            w.chart(right, m["hhi_trend"], key="hhi_trend")

        # --- pipeline ---------------------------------------------------------------------------
        st.subheader(t("fu.pipeline", lang))
        if m["pipeline"] is None:
            st.info(t("fu.no_pipeline", lang), icon=":material/info:")
        else:
            w.chart(st, m["pipeline"], key="pipeline")
            weighted, raw = m["pipeline_totals"]
            st.caption(t("fu.pipeline_total", lang, weighted=fmt_money(weighted, lang), raw=fmt_money(raw, lang)))
            kinds = {t("fu.col.amount", lang): "money", t("fu.col.weighted", lang): "money",
                     t("fu.col.probability", lang): "percent"}
            w.table(m["pipeline_table"], lang, kinds=kinds, key="pipeline_table")
            w.downloads(m["pipeline_table"], f"demandes_{filename(target or 'organisation')}", lang, key="pipeline",
                        sheet=t("fu.sheet.pipeline", lang), kinds=kinds)

        # --- funding cliff ----------------------------------------------------------------------
        st.subheader(t("fu.cliff", lang))
        if m["timeline"] is None:
            w.empty("fu.empty", lang, scope)
        else:
            w.chart(st, m["timeline"], key="timeline")
            st.caption(t("fu.cliff_help", lang, months=TH.grant_cliff_months))
            kinds = {t("fu.col.amount", lang): "money", t("fu.col.start", lang): "date", t("fu.col.end", lang): "date"}
            w.table(m["cliff_table"], lang, kinds=kinds, key="cliff_table")
            w.downloads(m["cliff_table"], f"echeancier_{filename(target or 'organisation')}_{f.as_of}", lang,
                        key="cliff", sheet=t("fu.sheet.cliff", lang), kinds=kinds)

        # --- stress test ------------------------------------------------------------------------
        if not m["signed_empty"]:
            st.subheader(t("fu.stress", lang))
            amounts, names, budget = m["amounts"], m["names"], m["budget"]
            removed = st.selectbox(t("fu.stress_pick", lang), list(amounts), key="stress_funder",
                                   format_func=lambda c: f"{names[c]} ({c}) — {fmt_money(amounts[c], lang)}")
            result = fin.stress_test(amounts, removed, budget)
            st.caption(t("fu.stress_budget", lang, budget=fmt_money(budget, lang),
                         coverage=fmt_percent(figures["total_signed"] / budget if budget else None, lang)))
            cols = st.columns(3)
            cols[0].metric(t("fu.stress_coverage", lang), fmt_percent(result["coverage"], lang))
            cols[1].metric(t("fu.stress_gap", lang), fmt_money(result["gap"], lang))
            with cols[2]:
                st.metric(t("fu.stress_hhi", lang), fmt_number(result["hhi"], lang, 2))
                w.badge(band(result["hhi"]), lang)
