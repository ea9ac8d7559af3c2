"""Synthèse / Overview: headline figures with their status colours, the programme x country grid,
the alert list."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ...i18n import country_name, fmt_date, fmt_money, fmt_number, fmt_percent, t
from ...kpis import progress_for
from ...metrics.thresholds import DEFAULT as TH
from ... import disclosure
from ...textsafe import md
from .. import data, scoped
from .. import status_counts as sc
from .. import widgets as w
from . import heading, start


def grid_export(cells: pd.DataFrame, metric: str, lang: str) -> tuple[pd.DataFrame, dict]:
    """The programme x country grid as a file: one row per cell, in the page's words (country
    names, status labels), each programme's as-of date, disclosed figures ("< 5") as they are."""
    col = {c: t(f"ov.gcol.{c}", lang) for c in ("execution", "burn", "progress", "as_of")}
    frame = pd.DataFrame({
        t("ov.col.programme", lang): cells["programme"],
        t("ov.col.country", lang): [country_name(c, lang) for c in cells["country"]],
        col["as_of"]: cells["as_of"],
    })
    kinds = {col["as_of"]: "date"}
    if metric == "progress":
        frame[col["progress"]] = cells["progress"]
        kinds[col["progress"]] = "percent"
    else:
        frame[t("pg.col.status", lang)] = [w.status_label(s, lang) for s in cells["status"]]
        frame[col["execution"]], frame[col["burn"]] = cells["execution"], cells["burn_index"]
        kinds.update({col["execution"]: "percent", col["burn"]: "decimal"})
    return frame, kinds


def render() -> None:
    f, lang, scope = start("nav.overview")

    with w.friendly_errors(lang):
        prog = scoped.programme(scope, f.programme)
        # the grid (every programme) is computed in a worker while the headline figures are, for
        # the metric last picked (the picker is drawn further down)
        scoped.prefetch_status_grid(scope, *grid_request(f, st.session_state.get(GRID_METRIC_KEY)))
        k = scoped.kpis(scope, f.programme, f.as_of, f.countries)
        b, fu, tr = k["budget"], k["funding"], k["training"]

        heading(t("nav.overview", lang), lang, prog)
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
            progress = (disclosure.progress_for(k, f.countries) if scope.suppress_small_cells
                        else progress_for(k, f.countries))
            w.headline(t("ov.progress", lang), progress if isinstance(progress, str) else fmt_percent(progress, lang),
                       None, lang,
                       rule=t("ov.progress_rule", lang, band=fmt_percent(TH.pace_band, lang)))
        with row2[3]:
            with st.container(border=True):
                st.markdown(f"**{t('ov.statuses', lang)}**")
                if not k["indicators"]:
                    st.caption(t("ov.no_indicator", lang))
                for unit, counts in sc.sections(k, f.countries):
                    st.caption(t(unit, lang), help=t(f"{unit}_help", lang))
                    st.markdown(sc.badges(counts, lang) or t("sc.none", lang))

        if scope.suppress_small_cells:
            st.caption(t("tr.suppressed", lang, n=TH.small_cell, max=TH.small_cell - 1))

        # --- programme x country grid ----------------------------------------------------------
        grid_section(scope, f, lang)

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
            title = (sc.behind_title(mine, f.countries, lang) if kind == "behind"
                     else t(f"ov.alerts.{kind}", lang, n=len(mine)))
            st.markdown(f"{icon} **{title}**")
            table = pd.DataFrame([to_row(a) for a in mine])
            kinds = {**{t(f"ov.col.{c}", lang): "money" for c in ("budget", "spent", "overrun", "amount")},
                     t("ov.col.end", lang): "date"}
            w.table(table, lang, kinds=kinds, key=f"alerts-table-{kind}")
            w.downloads(table, f"alertes_{kind}_{f.as_of}", lang, key=f"alerts-{kind}",
                        sheet=t(f"ov.sheet.{kind}", lang), kinds=kinds)


#: The figures the grid can show, one per cell.
GRID_METRICS = ("progress", "status", "execution")
GRID_METRIC_KEY = "ov_grid_metric"


def grid_request(f, metric: str | None) -> tuple:
    """The grid's date and whether it reads the budget figures: the sidebar's as-of date when one
    was chosen (a date other than the selected programme's default), else None (each programme at
    its own default date); the budget figures for any ``metric`` but progress (None: progress)."""
    explicit = f.as_of if f.as_of and f.as_of != data.default_as_of(f.programme) else None
    return explicit, (metric or "progress") != "progress"


def grid_section(scope, f, lang: str) -> None:
    """Programmes × countries, one figure per cell (picked above the grid): the sidebar's countries
    only, every programme at the sidebar's as-of date when one was chosen (a date other than the
    selected programme's default), else each at its own default date, shown in its column head."""
    st.subheader(t("ovg.title", lang))
    metric = st.segmented_control(t("ovg.metric", lang), GRID_METRICS, default="progress", key=GRID_METRIC_KEY,
                                  format_func=lambda m: t(f"ovg.metric.{m}", lang)) or "progress"
    explicit, budget = grid_request(f, metric)
    # Only the figure shown is read: a budget figure needs every expenditure of every programme.
    cells = pd.DataFrame(scoped.status_grid(scope, explicit, f.countries, budget=budget))
    if cells.empty:
        if f.countries:
            st.info(t("ovg.empty_countries", lang), icon=":material/info:")
        else:
            w.empty("ov.no_budget", lang, scope)
        return
    st.caption(t(f"ovg.help.{metric}", lang))
    if metric == "progress":
        shown = [p if isinstance(p, str) else fmt_percent(p, lang) for p in cells["progress"]]
    elif metric == "execution":
        shown = [fmt_percent(e, lang) for e in cells["execution"]]
    else:
        shown = [w.status_label(s, lang) for s in cells["status"]]
    cells["shown"] = shown
    cells["country_name"] = [country_name(c, lang) for c in cells["country"]]
    cells["column"] = [t("ovg.column", lang, code=p, date=fmt_date(d, lang)) if explicit is None else p
                       for p, d in zip(cells["programme"], cells["as_of"])]
    # Countries down, programmes across: a network has few programmes and many countries.
    grid = cells.pivot(index="country_name", columns="column", values="shown").fillna("")
    grid.index.name, grid.columns.name = t("ov.col.country", lang), None
    shown_grid = grid
    if metric == "status":  # the budget status is the one figure drawn as a colour (with its name)
        colours = cells.pivot(index="country_name", columns="column", values="status").reindex_like(grid)
        shown_grid = grid.style.apply(lambda _: colours.map(
            lambda s: f"background-color: {w.STATUS_FILL[w.STATUS_COLOURS.get(s, 'gray')]}" if isinstance(s, str)
            else ""), axis=None)
    st.dataframe(shown_grid, width="stretch")
    notes = [t("ovg.note_explicit", lang, date=fmt_date(explicit, lang)) if explicit
             else t("ovg.note_default", lang)]
    if f.countries:
        notes.append(t("ovg.note_countries", lang, countries=", ".join(country_name(c, lang) for c in f.countries)))
    st.caption(" ".join(notes))
    export, kinds = grid_export(cells, metric, lang)
    w.downloads(export, "synthese_pays", lang, key="grid", sheet=t("ov.sheet.grid", lang), kinds=kinds)
