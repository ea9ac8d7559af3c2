"""Synthèse / Overview: headline figures with their status colours, the programme x country grid,
the alert list."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ...i18n import country_name, fmt_money, fmt_number, fmt_percent, t
from ...kpis import progress_for, rows_for
from ...metrics.thresholds import DEFAULT as TH
from ... import disclosure
from ...textsafe import md
from .. import scoped
from .. import widgets as w
from . import heading, start


def grid_export(cells: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """The programme x country grid as a file: one row per cell, in the page's words (country
    names, status labels), disclosed counts ("< 5") as they are."""
    col = {c: t(f"ov.gcol.{c}", lang) for c in ("execution", "burn", "progress", "participants")}
    frame = pd.DataFrame({
        t("ov.col.programme", lang): cells["programme"],
        t("ov.col.country", lang): [country_name(c, lang) for c in cells["country"]],
        t("pg.col.status", lang): [w.status_label(s, lang) for s in cells["status"]],
        col["execution"]: cells["execution"], col["burn"]: cells["burn_index"],
        col["progress"]: cells["progress"], col["participants"]: cells["participants"],
    })
    return frame, {col["execution"]: "percent", col["burn"]: "decimal", col["progress"]: "percent",
                   col["participants"]: "number"}


def render() -> None:
    f, lang, scope = start("nav.overview")

    with w.friendly_errors(lang):
        prog = scoped.programme(scope, f.programme)
        k = scoped.kpis(scope, f.programme, f.as_of, f.countries)
        b, fu, tr = k["budget"], k["funding"], k["training"]

        heading(t("ov.title", lang, name=md(prog.name)), lang)
        w.context_caption(prog, f, b["elapsed"], lang)

        internal = scope.sees_internal_finance  # funders: no figure built from other funders' money
        row1 = st.columns(4 if internal else 2)
        row2 = st.columns(4)
        with row1[0]:
            w.headline(t("ov.execution", lang), fmt_percent(b["execution"], lang), b["status"], lang,
                       rule=t("ov.execution_help", lang, spent=fmt_money(b["spent"], lang),
                              budget=fmt_money(b["budget"], lang), elapsed=fmt_percent(b["elapsed"], lang)))
        with row1[1]:
            w.headline(t("ov.burn", lang), fmt_number(b["burn_index"], lang, 2), b["status"], lang,
                       rule=t("ov.burn_rule", lang, over=fmt_number(TH.overspend_burn, lang, 2),
                              under=fmt_number(TH.underspend_burn, lang, 2),
                              min_elapsed=fmt_percent(TH.underspend_min_elapsed, lang)))
        if internal:
            with row1[2]:
                w.headline(t("ov.coverage", lang), fmt_percent(b["coverage"], lang), None, lang,
                           rule=t("ov.coverage_help", lang, signed=fmt_money(b["funding_signed"], lang),
                                  gap=fmt_money(b["gap"], lang)))
            with row1[3]:
                w.headline(t("ov.cash", lang), fmt_money(b["cash_exposure"], lang), None, lang,
                           rule=t("ov.cash_help", lang, received=fmt_money(b["received"], lang)))
            with row2[0]:
                w.headline(t("ov.concentration", lang), fmt_number(fu["hhi"], lang, 2), fu["band"], lang,
                           rule=t("ov.concentration_rule", lang,
                                  hhi=fmt_number(fu["hhi"] and fu["hhi"] * 10000, lang),
                                  effective=fmt_number(fu["effective_funders"], lang, 1),
                                  low=fmt_number(TH.hhi_diversified, lang, 2),
                                  high=fmt_number(TH.hhi_concentrated, lang, 2)))
        with row2[1]:
            people = tr["participants"]  # disclosed already for a funder (scoped.kpis)
            w.headline(t("ov.people", lang), people if isinstance(people, str) else fmt_number(people, lang), None,
                       lang, rule=t("ov.people_help", lang, organisations=fmt_number(tr["organisations"], lang),
                                    sessions=fmt_number(tr["sessions"], lang)))
        with row2[2]:
            counts = {}
            for row in rows_for(k, f.countries):
                counts[row["status"]] = counts.get(row["status"], 0) + 1
            progress = (disclosure.progress_for(k, f.countries) if scope.suppress_small_cells
                        else progress_for(k, f.countries))
            w.headline(t("ov.progress", lang), progress if isinstance(progress, str) else fmt_percent(progress, lang),
                       None, lang,
                       rule=t("ov.progress_rule", lang, band=fmt_percent(TH.pace_band, lang)))
        with row2[3]:
            with st.container(border=True):
                st.markdown(f"**{t('ov.statuses', lang)}**")
                if not counts:
                    st.caption(t("ov.no_indicator", lang))
                for status in ("ahead", "on_track", "behind", "not_due", "non_reporting"):
                    if counts.get(status):
                        w.badge(status, lang)
                        st.caption(t("ov.status_count", lang, n=counts[status]))

        if scope.suppress_small_cells:
            st.caption(t("tr.suppressed", lang, n=TH.small_cell, max=TH.small_cell - 1))

        # --- programme x country grid ----------------------------------------------------------
        st.subheader(t("ov.grid", lang))
        st.caption(t("ov.grid_help", lang))
        cells = pd.DataFrame(scoped.status_grid(scope))
        if cells.empty:
            w.empty("ov.no_budget", lang, scope)
        else:
            cells["label"] = [
                f"{w.status_label(s, lang)} · {p if isinstance(p, str) else fmt_percent(p, lang)}"
                for s, p in zip(cells["status"], cells["progress"])]
            cells["country_name"] = [country_name(c, lang) for c in cells["country"]]
            # Countries down, programmes across: a network has few programmes and many countries.
            grid = cells.pivot(index="country_name", columns="programme", values="label").fillna("")
            colours = cells.pivot(index="country_name", columns="programme", values="status")
            grid.index.name, grid.columns.name = t("ov.col.country", lang), None
            styled = grid.style.apply(lambda _: colours.reindex_like(grid).map(
                lambda s: f"background-color: {w.STATUS_FILL[w.STATUS_COLOURS.get(s, 'gray')]}" if isinstance(s, str)
                else ""), axis=None)
            st.dataframe(styled, width="stretch")
            st.caption(t("ov.grid_note", lang))
            export, kinds = grid_export(cells, lang)
            w.downloads(export, f"synthese_pays_{f.as_of}", lang, key="grid", sheet=t("ov.sheet.grid", lang),
                        kinds=kinds)

        # --- alerts ----------------------------------------------------------------------------
        st.subheader(t("ov.alerts", lang))
        alerts = scoped.alerts(scope, f.programme, f.as_of, f.countries)
        if not alerts:
            st.success(t("ov.no_alerts", lang), icon=":material/check_circle:")

        def where(a):
            if a["country"]:
                return country_name(a["country"], lang)
            return t("ov.programme_total", lang) if a["rollup"] else t("country.regional", lang)

        sections = {
            "overspent": (":material/money_off:", lambda a: {
                t("ov.col.line", lang): a["code"], t("ov.col.label", lang): a["label"],
                t("ov.col.budget", lang): a["amount"], t("ov.col.spent", lang): a["spent"],
                t("ov.col.overrun", lang): a["spent"] - a["amount"]}),
            "behind": (":material/schedule:", lambda a: {
                t("ov.col.indicator", lang): a["code"], t("ov.col.label", lang): a["label"],
                t("ov.col.where", lang): where(a), t("ov.col.actual", lang): a["actual"],
                t("ov.col.expected", lang): a["expected"]}),
            "cliff": (":material/event_busy:", lambda a: {
                t("ov.col.grant", lang): a["code"], t("ov.col.funder", lang): a["funder"],
                t("ov.col.end", lang): a["end"], t("ov.col.amount", lang): a["amount"]}),
        }
        for kind, (icon, to_row) in sections.items():
            mine = [a for a in alerts if a["kind"] == kind]
            if not mine:
                continue
            st.markdown(f"{icon} **{t(f'ov.alerts.{kind}', lang, n=len(mine))}**")
            table = pd.DataFrame([to_row(a) for a in mine])
            kinds = {**{t(f"ov.col.{c}", lang): "money" for c in ("budget", "spent", "overrun", "amount")},
                     t("ov.col.end", lang): "date"}
            w.table(table, lang, kinds=kinds, key=f"alerts-table-{kind}")
            w.downloads(table, f"alertes_{kind}_{f.as_of}", lang, key=f"alerts-{kind}",
                        sheet=t(f"ov.sheet.{kind}", lang), kinds=kinds)
