"""Progrès par pays / Country progress: a country picker synced with the sidebar, per-country summary
cards, the logframe tree with every indicator row (baseline, final target, expected by now, actual,
achievement, pace, status), a results x countries heatmap and a choropleth of progress by country.

Every figure is a ``kpis`` figure (docs/METRICS.md "Logframe progress"); rows that count people
are suppressed below 5 for accounts that suppress small cells (funders)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ... import charts, disclosure, maps, web
from ... import kpis as k
from ... import progress as pg
from ...db import query, records
from ...i18n import country_name, fmt_date, fmt_number, fmt_percent, t
from ...metrics import budget as mb
from ...metrics import logframe as ml
from ...metrics.thresholds import DEFAULT as TH
from ...textsafe import filename, md
from .. import comments, data, scoped
from .. import widgets as w
from .. import status_counts as sc
from . import heading, start

PICKER, SYNCED = "progress_country", "progress_country_from"
INDENT = "\u2003"  # an em space per logframe level
#: Achievement bars: 0 to 100 % of the final target, the figure in percentage points ("79 %").
BAR = "#b9d3f0"  # the achievement bars: light, the figure stays readable over them


@data.cached
def figures(code: str, as_of: dt.date) -> dict:
    """The ``kpis`` blocks the page shows, computed as :func:`dashboard.kpis.compute_kpis` computes
    them (indicator rows, ``countries``, programme progress, time elapsed), and the logframe, on one
    connection. The same for every user: only :func:`model`, reached through
    :func:`scoped.read_model`, calls it and applies the user's :class:`scoped.View`."""
    with data.engine().connect() as conn:
        prog = k.get_programme(conn, code)
        as_of = as_of or data.default_as_of(code)
        indicators = k.indicator_rows(conn, prog, as_of)
        return {
            "prog": prog,
            "elapsed": mb.elapsed(prog.start, prog.end, as_of),  # kpis["budget"]["elapsed"]
            "indicators": indicators,
            "countries": k.country_summaries(conn, prog, as_of, indicators),
            "progress": ml.progress([r for r in indicators if r["country"] is None]),
            "nodes": records(query(conn, "logframe_nodes", programme=code)),
            "definitions": records(query(conn, "indicators", programme=code)),
        }


def _where(row: dict, lang: str) -> str:
    if row["country"]:
        return country_name(row["country"], lang)
    return t("ov.programme_total", lang) if row["rollup"] else t("country.regional", lang)


def _tree_row(e: dict, lang: str) -> dict:
    """A row of the logframe table: a node (its code and title, indented by level) or an indicator
    row with its figures as text in the page's language ("—" where there is none)."""
    node = e["kind"] == "node"

    def text(value):
        return "" if node else pg.figure_text(value, lang)

    return {
        t("pg.col.logframe", lang): INDENT * e["depth"] + (f"{e['code']} — {e['title']}" if node else f"▸ {e['label']}"),
        t("pg.col.indicator", lang): "" if node else e["code"],
        t("pg.col.scope", lang): "" if node else _where(e, lang),
        t("pg.col.baseline", lang): text(e.get("baseline")),
        t("pg.col.target", lang): text(e.get("target")),
        t("pg.col.expected", lang): text(e.get("expected")),
        t("pg.col.actual", lang): text(e.get("actual")),
        t("pg.col.achievement", lang): None if node else pg.points(pg.shown_achievement(e)),
        t("pg.col.pace", lang): "" if node else fmt_percent(pg.shown_pace(e), lang),
        t("pg.col.status", lang): "" if node else w.status_label(e["status"], lang),
        "_status": None if node else e["status"],
    }


def _report_row(e: dict, lang: str) -> dict:
    """A row of the downloadable progress report: an indicator row with its figures as numbers."""
    return {
        t("pg.col.node", lang): e["node"], t("pg.col.indicator", lang): e["code"],
        t("pg.col.label", lang): e["label"], t("pg.col.scope", lang): _where(e, lang),
        t("pg.col.baseline", lang): e["baseline"], t("pg.col.target", lang): e["target"],
        t("pg.col.expected", lang): e["expected"], t("pg.col.actual", lang): e["actual"],
        t("pg.col.achievement", lang): pg.shown_achievement(e), t("pg.col.pace", lang): pg.shown_pace(e),
        t("pg.col.status", lang): w.status_label(e["status"], lang),
    }


def _card(title: str, progress, unit: str, counts: dict[str, int], lang: str, elapsed: float, hide: bool,
          budget: dict | None = None) -> dict:
    """A summary card as text: progress, the count of its indicators (``unit``: :mod:`status_counts`
    name) per status and, for a country, its budget execution against the time elapsed and the
    people reached there."""
    card = {"title": title, "value": progress if isinstance(progress, str) else fmt_percent(progress, lang),
            "unit": t(unit, lang), "unit_help": t(f"{unit}_help", lang),
            "badges": sc.badges(counts, lang) or t("pg.no_rows", lang), "budget": None}
    if budget is not None:
        colour = w.STATUS_COLOURS.get(budget["status"], "gray")
        people = budget["participants"]  # disclosed already for a funder (dashboard.disclosure)
        card["budget"] = (
            f":{colour}-badge[{t('pg.budget_status', lang, status=w.status_label(budget['status'], lang))}]",
            t("pg.card_budget", lang, execution=fmt_percent(budget["execution"], lang),
              elapsed=fmt_percent(elapsed, lang)),
            t("pg.card_people", lang, n=people if isinstance(people, str) else fmt_number(people, lang)))
    return card


@data.cached
def model(code: str, as_of: dt.date, countries: tuple[str, ...], lang: str, view: scoped.View) -> dict:
    """Everything the page draws for one programme, date, language and :class:`scoped.View`, and
    the picker's choice: ``countries`` is the picked country, or none for all, as
    :func:`scoped.read_model` narrows it (a restricted account's "all" is its own countries).
    The scope enters only through ``view``: its countries (what the account may see), small cells."""
    fig = figures(code, as_of)
    prog, defs = fig["prog"], fig["definitions"]
    m = {"prog": prog, "elapsed": fig["elapsed"], "empty": not defs}
    if not defs:
        return m
    known = [c for c in data.countries_of(code) if view.countries is None or c in view.countries]
    # A country-scoped account sees its countries' own rows only (roll-ups include other countries).
    restricted = sorted(view.countries & set(known)) if view.countries is not None else None
    chosen = [c for c in countries if c in known] or restricted
    hide = view.suppress_small_cells
    if hide:  # small cells: one step over every count of people and what derives from them
        computed = {d["code"]: d["computed_from"] for d in defs}
        fig = {**fig, **disclosure.kpis(fig, data.people_table(code, as_of), computed)}

    # --- summary cards -------------------------------------------------------------------------
    in_kpis = [c for c in (chosen or sorted(fig["countries"])) if c in fig["countries"]]
    cards = [] if chosen else [_card(t("pg.card_programme", lang), fig["progress"], sc.PROGRAMME,
                                     pg.programme_status_counts(fig), lang, fig["elapsed"], hide)]
    cards += [_card(country_name(c, lang), fig["countries"][c]["progress"], sc.COUNTRY,
                    pg.country_status_counts(fig, [c]), lang, fig["elapsed"], hide, fig["countries"][c])
              for c in in_kpis]
    m["cards"] = cards

    # --- the logframe tree and the report ------------------------------------------------------
    entries = pg.table_rows(fig["nodes"], k.rows_for(fig, chosen), defs)
    m["tree"] = pd.DataFrame([_tree_row(e, lang) for e in entries])
    m["report"] = pd.DataFrame([_report_row(e, lang) for e in entries if e["kind"] == "indicator"])

    # --- results x countries heatmap ---------------------------------------------------------
    matrix = pg.result_matrix(k.rows_for(fig, restricted), defs, fig["nodes"])
    m["heatmap"] = None
    if matrix:
        titles = {n["code"]: n["title"] for n in fig["nodes"]}
        results = list(dict.fromkeys(c["result"] for c in matrix))
        columns = list(dict.fromkeys(c["column"] for c in matrix))
        cell = {(c["result"], c["column"]): None if c["withheld"] else c["progress"] for c in matrix}
        withheld = {(c["result"], c["column"]) for c in matrix if c["withheld"]}
        labels = {pg.REGIONAL: t("country.regional", lang), pg.PROGRAMME: t("ov.programme_total", lang)}
        z = [[cell[(r, c)] for c in columns] for r in results]
        m["heatmap_results"] = [(r, titles.get(r, "")) for r in results]
        m["heatmap"] = charts.progress_heatmap(
            z, results, [titles.get(r, "") for r in results],
            [labels.get(c) or country_name(c, lang) for c in columns],
            [[disclosure.NOT_DISCLOSED if (r, c) in withheld else fmt_percent(v, lang) if v is not None else "—"
              for c, v in zip(columns, line)] for r, line in zip(results, z)],
            maps.PROGRESS_BINS, maps.NO_DATA, t("ch.pg_heatmap", lang, as_of=fmt_date(as_of, lang)), lang)

    # --- choropleth ----------------------------------------------------------------------------
    geo = maps.countries_geojson()
    mapped = {c: None if isinstance(v["progress"], str) else v["progress"] for c, v in fig["countries"].items()
              if restricted is None or c in restricted}
    deck = maps.progress_deck(maps.progress_features(geo, mapped, lang),
                              maps.fit_view(maps.country_bounds(geo, mapped)), maps.shapes_url(web.base_path()))
    m["map"] = maps.serialise(deck)
    m["legend"] = maps.progress_legend(lang)
    return m


# --- the page --------------------------------------------------------------------------------

def tree_table(tree: pd.DataFrame, lang: str) -> None:
    """The logframe tree as a static table: every title and label in full, wrapped (long logframe
    titles run to 250 characters), no scrolling box, readable from a phone to a wide screen. Its
    cells render Markdown: imported text is escaped (:func:`textsafe.md`). Nodes in bold, the
    status cells in their colour, the achievement as a bar of 0 to 100 % of the final target."""
    status, achievement = t("pg.col.status", lang), t("pg.col.achievement", lang)
    logframe, indicator = t("pg.col.logframe", lang), t("pg.col.indicator", lang)
    statuses = [s if isinstance(s, str) else None for s in tree["_status"]]  # None (NaN) on node rows
    is_node = [s is None for s in statuses]
    # An indicator's label once, on its first row; its other rows (one per country) carry its code.
    codes = list(tree[indicator])
    labels = ["" if i and codes[i] and codes[i] == codes[i - 1] else label for i, label in enumerate(tree[logframe])]
    tree = tree.drop(columns="_status").assign(**{logframe: labels})  # a copy: the model's frame is cached

    def cell(value):
        return md(value) if isinstance(value, str) else value

    styler = tree.style.format(cell).format(
        lambda v: "" if v is None or v != v else fmt_percent(v / 100, lang), subset=[achievement])
    styler = styler.apply(lambda _: ["font-weight: 600" if node else "" for node in is_node], axis=0)
    styler = styler.apply(lambda _: [f"background-color: {w.status_fill(s)}" if s else "" for s in statuses],
                          subset=[status], axis=0)
    styler = styler.set_properties(subset=[logframe], **{"min-width": "14em"})
    styler = styler.bar(subset=[achievement], vmin=0, vmax=100, color=BAR, height=40, width=100)
    st.table(styler, hide_index=True, border="horizontal", alt=t("pg.tree_alt", lang))


def _picker_reset(known: list[str], sidebar: tuple[str, ...]) -> str | None:
    """The picker's new value when the sidebar's selection changed (or the picked country is not
    offered): the sidebar's country when exactly one is selected, else all countries. None: the
    picker keeps what the user picked."""
    ss = st.session_state
    if ss.get(SYNCED) != sidebar or ss.get(PICKER) not in ["", *known]:
        return sidebar[0] if len(sidebar) == 1 and sidebar[0] in known else pg.ALL
    return None


def _picked_to_sidebar() -> None:
    """The picker drives the sidebar too (so the URL shares the view): one country, or none."""
    ss = st.session_state
    picked = ss[PICKER]
    ss["countries"] = [picked] if picked else []
    ss[SYNCED] = tuple(ss["countries"])


def render() -> None:
    f, lang, scope = start("nav.progress")
    ss = st.session_state

    with w.friendly_errors(lang):
        # The model depends on the picker, drawn below the title: its value is known first, as
        # the selectbox will return it (a keyed widget's value is its session state).
        known = scoped.countries_of(scope, f.programme)
        sidebar = tuple(f.countries)
        reset = _picker_reset(known, sidebar)
        picked = ss[PICKER] if reset is None else reset
        m = scoped.read_model(scope, model, f.programme, f.as_of, (picked,) if picked else (), lang)
        prog = m["prog"]
        heading(t("nav.progress", lang), lang, prog)
        w.context_caption(prog, f, m["elapsed"], lang)
        if m["empty"]:
            w.empty("pg.empty", lang, scope)
            st.stop()
        as_of = fmt_date(f.as_of, lang)

        # --- country picker ------------------------------------------------------------------
        if reset is not None:  # the picker follows the sidebar
            ss[PICKER], ss[SYNCED] = reset, sidebar
        st.selectbox(t("pg.picker", lang), ["", *known], key=PICKER, on_change=_picked_to_sidebar,
                     format_func=lambda c: country_name(c, lang) if c else t("pg.all_countries", lang))

        # --- summary cards ---------------------------------------------------------------------
        cards = m["cards"]
        for first in range(0, len(cards), 4):
            cols = st.columns(4)
            for col, card in zip(cols, cards[first:first + 4]):
                with col, st.container(border=True):
                    st.metric(card["title"], card["value"])
                    st.caption(card["unit"], help=card["unit_help"])
                    st.markdown(card["badges"])
                    if card["budget"] is not None:
                        badge, execution, people = card["budget"]
                        st.markdown(badge)
                        st.caption(execution)
                        st.caption(people)
        st.caption(t("pg.rule", lang, band=fmt_percent(TH.pace_band, lang), low=fmt_percent(1 - TH.pace_band, lang),
                     high=fmt_percent(1 + TH.pace_band, lang)))
        if scope.suppress_small_cells:
            st.caption(t("tr.suppressed", lang, n=TH.small_cell, max=TH.small_cell - 1))

        # --- the logframe tree -----------------------------------------------------------------
        st.subheader(t("pg.tree", lang, as_of=as_of))
        tree_table(m["tree"], lang)
        st.caption(t("pg.tree_note", lang))
        w.downloads(m["report"], f"progres_{filename(prog.code)}_{picked or 'tous'}_{f.as_of}", lang, key="report",
                    sheet=t("pg.sheet", lang), kinds={t("pg.col.achievement", lang): "percent",
                                                      t("pg.col.pace", lang): "percent"})
        comments.section(scope, f.programme, f.as_of, (picked,) if picked else (), lang, ("indicator", "country"),
                         key="progress", figures=lambda: figures(f.programme, f.as_of))

        # --- results x countries heatmap -------------------------------------------------------
        st.subheader(t("pg.heatmap", lang))
        if m["heatmap"] is None:
            st.info(t("pg.no_results", lang), icon=":material/info:")
        else:
            w.chart(st, m["heatmap"], key="heatmap")
            # the results' full titles (the chart's columns carry their codes): imported text
            st.caption("  \n".join(f"**{md(code)}** — {md(title)}" for code, title in m["heatmap_results"]))
            st.caption(t("pg.heatmap_note", lang))

        # --- choropleth ------------------------------------------------------------------------
        st.subheader(t("pg.map", lang, as_of=as_of))
        if w.deck(st, m["map"], height=460, key="progress_map", lang=lang):
            w.legend(m["legend"])
        st.caption(t("pg.map_note", lang, credit=maps.CREDIT))
