"""Formations et portée / Training reach: sessions, distinct participants and organisations, women
share, participant-hours, repeat participants; breakdowns by month, kind, theme, country, sex and
age band, organisation type; reach against the linked targets; a map of sessions; the session table.

Counts of people from 1 to 4 are shown as "< 5" (and left out of shares) when the viewer's
account suppresses small cells (funders): the model applies it from its ``view`` argument."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ... import charts, disclosure, maps, web
from ... import kpis as k
from ... import training as tr
from ...db import query, records
from ...i18n import country_name, fmt_date, fmt_number, fmt_percent, t
from ...metrics import budget as mb
from ...metrics.thresholds import DEFAULT as TH
from ...progress import figure_text, points, shown_achievement
from ...textsafe import filename
from .. import data, scoped
from .. import widgets as w
from . import heading, start

#: Sessions drawn in the page's table (the most recent); the CSV and Excel files hold them all.
TABLE_SESSIONS = 100


def count_text(value, lang: str) -> str:
    """A count as shown: formatted, or the "< 5" of a suppressed count as is."""
    return value if isinstance(value, str) else fmt_number(value, lang)


def people_column(values, hide: bool, lang: str) -> list:
    """A column of people counts as published: numbers, or (when suppressing) text, with the marks
    of hidden counts ("< 5", "n.d.") as they are."""
    if not hide:
        return [int(v) for v in values]
    return [count_text(v, lang) for v in values]


def where(row: dict, lang: str) -> str:
    """The scope of an indicator row: whole programme (roll-up), regional, or the country."""
    if row["country"]:
        return country_name(row["country"], lang)
    return t("ov.programme_total", lang) if row["rollup"] else t("country.regional", lang)


@data.cached
def model(code: str, as_of: dt.date, countries: tuple[str, ...], lang: str, view: scoped.View) -> dict:
    """Everything the page draws for one programme, date, country filter (already narrowed to the
    viewer's scope) and language, as ``view`` may see it (small cells suppressed or not): figures,
    charts (plotly dicts), tables, the map (deck JSON). The figures are those of ``kpis``,
    computed with the same functions (only the blocks the page shows)."""
    hide = view.suppress_small_cells
    wanted = list(countries) or None
    with data.engine().connect() as conn:  # only what this page shows, on one connection
        prog = k.get_programme(conn, code)
        sessions = tr.sessions(conn, code, as_of, wanted)
        m = {"prog": prog, "elapsed": mb.elapsed(prog.start, prog.end, as_of),  # = kpis budget.elapsed
             "hide": hide, "empty": sessions.empty}
        if sessions.empty:
            return m
        found = tr.breakdowns(conn, code, as_of, wanted)
        # The sexes of the headline from the sex x age band breakdown (one lookup of the sexes)
        training = k.training_summary(conn, prog, as_of, wanted, by_sex=tr.sex_counts(found["sex_age"]))
        indicators = k.indicator_rows(conn, prog, as_of)
        definitions = records(query(conn, "indicators", programme=code))
        # The map highlights the chosen (or the account's) countries, else every country of
        # kpis["countries"] (kpis.country_summaries): those of the budget lines, of the sessions by
        # as_of (all in ``sessions`` here, unfiltered) and of the indicator rows.
        if countries:
            in_view = set(countries)
        else:
            lines = query(conn, "budget_line_countries", programme=code)  # = those of kpis.budget_lines
            in_view = ({c for c in lines["country_iso3"].dropna() if c} | set(sessions["country_iso3"])
                       | {r["country"] for r in indicators if r["country"]})
        if hide:  # the programme's tables a funder's figures are protected on, whatever the filter
            people_table = disclosure.programme_table(disclosure.people_counts(conn, code, as_of),
                                                      tr.breakdowns(conn, code, as_of) if countries else found)
            every_session = tr.sessions(conn, code, as_of) if countries else sessions
    as_of_text = fmt_date(as_of, lang)

    # --- small cells: one step over every count of people, before anything is drawn ----------
    if hide:
        shown = disclosure.training(training, found, sessions, people_table, countries, every_session)
        computed = {d["code"]: d["computed_from"] for d in definitions}
        indicators = disclosure.indicator_rows(indicators, computed)
    else:
        rows_of = {name: [int(n) for n in found[name]["participants"]] for name in ("kind", "theme",
                                                                                   "organisation_type")}
        shown = {"sessions": [int(n) for n in sessions["participants"]],
                 "country": {c: int(n) for c, n in zip(found["country"]["country_iso3"],
                                                       found["country"]["participants"])},
                 **rows_of, **{f"{name}_hours": [float(h) for h in found[name]["participant_hours"]]
                               for name in ("kind", "theme")}}

    # --- headline -------------------------------------------------------------------------
    m["headline"] = shown["headline"] if hide else tr.headline(training, found["sex_age"], False)

    # --- by month ---------------------------------------------------------------------------
    reach = tr.monthly_reach(found["month"])
    if hide:
        reach["reached"] = pd.Series(shown["reached"], index=reach.index, dtype=object)
    m["by_month"] = charts.sessions_and_reach(reach, t("ch.tr_month", lang, as_of=as_of_text), lang)

    # --- by kind and theme ------------------------------------------------------------------
    by_kind = found["kind"]
    m["by_kind"] = charts.counts_bar(
        [t(f"tr.kind.{k_}", lang) for k_ in by_kind["kind"]], by_kind["sessions"].tolist(),
        [fmt_number(n, lang) for n in by_kind["sessions"]], t("ch.tr_kind", lang, as_of=as_of_text), lang,
        hover=[t("tr.hover_people", lang, kind=t(f"tr.kind.{k_}", lang),
                 participants=count_text(p, lang), hours=count_text(h_, lang))
               for k_, p, h_ in zip(by_kind["kind"], shown["kind"], shown["kind_hours"])],
    )
    by_theme = found["theme"]
    themes = [th_ or t("tr.no_theme", lang) for th_ in by_theme["theme"]]
    m["by_theme"] = charts.counts_bar(
        themes, by_theme["sessions"].tolist(), [fmt_number(n, lang) for n in by_theme["sessions"]],
        t("ch.tr_theme", lang, as_of=as_of_text), lang, colour=charts.PALETTE["forecast"],
        hover=[t("tr.hover_people", lang, kind=name, participants=count_text(p, lang), hours=count_text(h_, lang))
               for name, p, h_ in zip(themes, shown["theme"], shown["theme_hours"])],
    )

    # --- by country and organisation type ---------------------------------------------------
    by_country = found["country"].sort_values(["participants", "country_iso3"], ascending=[False, True])
    if hide:  # hidden counts last, by code: their place among the others would bound them
        hidden = [isinstance(shown["country"][c], str) for c in by_country["country_iso3"]]
        by_country = by_country.assign(_hidden=hidden,
                                       _n=[0 if h else n for h, n in zip(hidden, by_country["participants"])])
        by_country = by_country.sort_values(["_hidden", "_n", "country_iso3"], ascending=[True, False, True])
    names = [country_name(c or None, lang) for c in by_country["country_iso3"]]
    people = [shown["country"][c] for c in by_country["country_iso3"]]
    m["by_country"] = charts.counts_bar(
        names, [None if isinstance(v, str) else v for v in people], [count_text(v, lang) for v in people],
        t("ch.tr_country", lang, as_of=as_of_text), lang,
        hover=[t("tr.hover_sessions", lang, place=n, sessions=fmt_number(s, lang))
               for n, s in zip(names, by_country["sessions"])],
    )
    by_type = found["organisation_type"]
    m["by_org_type"] = charts.counts_bar(
        [t(f"tr.orgtype.{o}", lang) for o in by_type["organisation_type"]], by_type["organisations"].tolist(),
        [fmt_number(n, lang) for n in by_type["organisations"]], t("ch.tr_org_type", lang, as_of=as_of_text), lang,
        colour=charts.PALETTE["received"],
        hover=[t("tr.hover_org", lang, type=t(f"tr.orgtype.{o}", lang), participants=count_text(p, lang))
               for o, p in zip(by_type["organisation_type"], shown["organisation_type"])],
    )

    # --- sex and age band -------------------------------------------------------------------
    grid = tr.sex_age_matrix(found["sex_age"])
    if hide:  # published values: numbers, or the marks of hidden cells ("< 5", "n.d.")
        grid = pd.DataFrame({sex: pd.Series([shown["sex_age"][band][sex] for band in grid.index], index=grid.index,
                                            dtype=object) for sex in grid.columns})
    age_labels = {band: t(key, lang) for band, key in (("<25", "tr.age.under_25"), ("25-34", "tr.age.from_25"),
                                                       ("35-49", "tr.age.from_35"), ("50+", "tr.age.from_50"),
                                                       ("", "tr.age.unknown"))}
    sex_labels = {"F": t("tr.sex.f", lang), "M": t("tr.sex.m", lang), "X": t("tr.sex.x", lang),
                  "": t("tr.sex.unknown", lang)}
    m["sex_age"] = charts.sex_age_bars(grid, age_labels, sex_labels, t("ch.tr_sex_age", lang, as_of=as_of_text),
                                       lang)

    # --- reach against the linked targets ---------------------------------------------------
    m["reach"] = m["reach_shown"] = None
    reach_rows = tr.reach_rows({"indicators": indicators}, definitions, list(countries) or None)
    if reach_rows:
        rows = reach_rows
        table = pd.DataFrame({
            t("pg.col.indicator", lang): [r["code"] for r in rows],
            t("pg.col.label", lang): [r["label"] for r in rows],
            t("tr.col.counts", lang): [t(f"tr.computed.{r['computed_from']}", lang) for r in rows],
            t("pg.col.scope", lang): [where(r, lang) for r in rows],
            t("pg.col.target", lang): [r["target"] for r in rows],
            t("pg.col.expected", lang): [r["expected"] for r in rows],
            t("pg.col.actual", lang): [r["actual"] for r in rows],
            t("pg.col.achievement", lang): [shown_achievement(r) for r in rows],  # a share (downloads)
            t("pg.col.status", lang): [w.status_label(r["status"], lang) for r in rows],
        })
        # Shown as text in the page's number format; downloaded as numbers.
        figures = [t(f"pg.col.{c}", lang) for c in ("target", "expected", "actual")]
        achievement = t("pg.col.achievement", lang)
        m["reach"] = table
        m["reach_shown"] = table.assign(**{c: [figure_text(v, lang) for v in table[c]] for c in figures},
                                        **{achievement: [points(v) for v in table[achievement]]})

    # --- map --------------------------------------------------------------------------------
    geo = maps.countries_geojson()
    placed = [{**s, "participants": p} for s, p in zip(records(sessions), shown["sessions"])]
    bubbles, unplaced = maps.session_points(placed, maps.default_centroids(), lang, hide)
    in_view.discard("")
    view_state = maps.fit_view(maps.merge_bounds(maps.country_bounds(geo, in_view), maps.points_bounds(bubbles)))
    deck = maps.sessions_deck(maps.session_shapes(geo, in_view, lang), bubbles, view_state,
                              maps.shapes_url(web.base_path()))
    m["map"] = maps.serialise(deck)
    m["unplaced"] = None if not unplaced else pd.DataFrame({
        t("tr.col.date", lang): [s["start_date"] for s in unplaced],
        t("tr.col.title", lang): [s["title"] for s in unplaced],
        t("tr.col.kind", lang): [t(f"tr.kind.{s['kind']}", lang) for s in unplaced],
        t("tr.col.participants", lang): people_column([s["participants"] for s in unplaced], hide, lang),
    })

    # --- session table ----------------------------------------------------------------------
    m["sessions"] = pd.DataFrame({
        t("tr.col.date", lang): sessions["start_date"],
        t("tr.col.city", lang): sessions["city"].fillna(""),
        t("tr.col.country", lang): [country_name(c or None, lang) for c in sessions["country_iso3"]],
        t("tr.col.kind", lang): [t(f"tr.kind.{k_}", lang) for k_ in sessions["kind"]],
        t("tr.col.activity", lang): sessions["logframe_code"],
        t("tr.col.participants", lang): people_column(shown["sessions"], hide, lang),
        t("tr.col.hours", lang): sessions["hours"],
        t("tr.col.title", lang): sessions["title"],
        t("tr.col.theme", lang): sessions["theme"],
        t("tr.col.end", lang): sessions["end_date"],
    })
    return m


def render() -> None:
    f, lang, scope = start("nav.training")

    with w.friendly_errors(lang):
        m = scoped.read_model(scope, model, f.programme, f.as_of, f.countries, lang)
        prog = m["prog"]
        heading(t("nav.training", lang), lang, prog)
        w.context_caption(prog, f, m["elapsed"], lang)

        if m["empty"]:
            w.empty("tr.empty", lang, scope)
            st.stop()
        as_of = fmt_date(f.as_of, lang)

        # --- headline ---------------------------------------------------------------------
        h = m["headline"]
        row1, row2 = st.columns(3), st.columns(3)
        with row1[0]:
            w.headline(t("tr.sessions", lang), fmt_number(h["sessions"], lang), None, lang,
                       rule=t("tr.sessions_help", lang, attendances=count_text(h["attendances"], lang)))
        with row1[1]:
            w.headline(t("tr.participants", lang), count_text(h["participants"], lang), None, lang,
                       rule=t("tr.participants_help", lang))
        with row1[2]:
            w.headline(t("tr.organisations", lang), fmt_number(h["organisations"], lang), None, lang,
                       rule=t("tr.organisations_help", lang))
        with row2[0]:
            w.headline(t("tr.women", lang), fmt_percent(h["women_share"], lang), None, lang,
                       rule=t("tr.women_help", lang, unknown=fmt_percent(h["unknown_sex_share"], lang)))
        with row2[1]:
            w.headline(t("tr.hours", lang), count_text(h["participant_hours"], lang), None, lang,
                       rule=t("tr.hours_help", lang))
        with row2[2]:
            w.headline(t("tr.repeat", lang), count_text(h["repeat_participants"], lang), None, lang,
                       rule=t("tr.repeat_help", lang, share=fmt_percent(h["repeat_share"], lang)))
        if m["hide"]:
            st.caption(t("tr.suppressed", lang, n=TH.small_cell, max=TH.small_cell - 1))

        # --- charts -----------------------------------------------------------------------
        w.chart(st, m["by_month"], key="by_month")
        left, right = st.columns(2)
        w.chart(left, m["by_kind"], key="by_kind")
        w.chart(right, m["by_theme"], key="by_theme")
        left, right = st.columns(2)
        w.chart(left, m["by_country"], key="by_country")
        left.caption(t("tr.country_note", lang))
        w.chart(right, m["by_org_type"], key="by_org_type")
        right.caption(t("tr.org_note", lang))
        w.chart(st, m["sex_age"], key="sex_age")
        st.caption(t("tr.sex_age_note", lang))

        # --- reach against the linked targets -----------------------------------------------
        st.subheader(t("tr.reach", lang))
        if m["reach"] is None:
            st.info(t("tr.no_reach", lang), icon=":material/info:")
        else:
            figures = [t(f"pg.col.{c}", lang) for c in ("target", "expected", "actual")]
            achievement = t("pg.col.achievement", lang)
            w.table(m["reach_shown"], lang, column_config={
                **{c: st.column_config.TextColumn(alignment="right") for c in figures},
                achievement: st.column_config.ProgressColumn(format=t("fmt.points", lang), min_value=0,
                                                             max_value=100)})
            st.caption(t("tr.reach_note", lang, band=fmt_percent(TH.pace_band, lang)))
            w.downloads(m["reach"], f"portee_cibles_{filename(prog.code)}_{f.as_of}", lang, key="reach",
                        sheet=t("tr.sheet.reach", lang), kinds={achievement: "percent"})

        # --- map --------------------------------------------------------------------------
        st.subheader(t("tr.map", lang, as_of=as_of))
        w.deck(st, m["map"], height=480, key="sessions_map", lang=lang)
        st.caption(t("tr.map_note", lang, credit=maps.CREDIT))
        if m["unplaced"] is not None:
            st.caption(t("tr.unplaced", lang, n=len(m["unplaced"])))
            w.table(m["unplaced"], lang, kinds={t("tr.col.date", lang): "date"}, key="unplaced",
                    column_config={t("tr.col.participants", lang): st.column_config.Column(alignment="right")})

        # --- session table ----------------------------------------------------------------
        st.subheader(t("tr.sessions_table", lang))
        table = m["sessions"]
        days = {t("tr.col.date", lang): "date", t("tr.col.end", lang): "date"}
        # the most recent sessions first; every session is in the files below. A programme's
        # thousands of sessions would otherwise all be sent (and formatted) at every visit.
        recent = table.iloc[::-1].head(TABLE_SESSIONS)
        w.table(recent, lang, kinds=days, height=420, key="sessions_table", column_config={
            t("tr.col.participants", lang): st.column_config.Column(alignment="right")})
        if len(table) > TABLE_SESSIONS:
            st.caption(t("tr.sessions_recent", lang, shown=fmt_number(TABLE_SESSIONS, lang),
                         total=fmt_number(len(table), lang)))
        w.downloads(table, f"sessions_{filename(prog.code)}_{f.as_of}", lang, key="sessions",
                    sheet=t("tr.sheet.sessions", lang), kinds=days)
