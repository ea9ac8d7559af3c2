"""Progrès par pays / Country progress: a country picker synced with the sidebar, per-country summary
cards, the logframe tree with every indicator row (baseline, final target, expected by now, actual,
achievement, pace, status), a results x countries heatmap and a choropleth of progress by country.

Every figure is a ``kpis`` figure (docs/METRICS.md "Logframe progress"); rows that count people
are suppressed below 5 for accounts that suppress small cells (funders)."""
import pandas as pd
import streamlit as st

from dashboard import charts, maps
from dashboard import progress as pg
from dashboard.i18n import country_name, fmt_date, fmt_number, fmt_percent, t
from dashboard.kpis import rows_for
from dashboard.metrics.thresholds import DEFAULT as TH
from dashboard.metrics.training import suppress
from dashboard.ui import access, data, scoped
from dashboard.ui import widgets as w

f = st.session_state["filters"]
lang = f.lang
scope = access.scope()
ss = st.session_state
PICKER, SYNCED = "progress_country", "progress_country_from"
INDENT = "\u2003"  # an em space per logframe level
#: Achievement bars: 0 to 100 % of the final target, the figure in percentage points ("79 %").
ACHIEVEMENT = st.column_config.ProgressColumn(format="%.0f %%", min_value=0, max_value=100)


def sync_picker(known: list[str]) -> None:
    """Default the picker to the sidebar's country when exactly one is selected, else all
    countries; again whenever the sidebar selection changes."""
    sidebar = tuple(f.countries)
    if ss.get(SYNCED) != sidebar or ss.get(PICKER) not in ["", *known]:
        ss[PICKER] = sidebar[0] if len(sidebar) == 1 and sidebar[0] in known else pg.ALL
        ss[SYNCED] = sidebar


def picked_to_sidebar() -> None:
    """The picker drives the sidebar too (so the URL shares the view): one country, or none."""
    picked = ss[PICKER]
    ss["countries"] = [picked] if picked else []
    ss[SYNCED] = tuple(ss["countries"])


def where(row: dict) -> str:
    if row["country"]:
        return country_name(row["country"], lang)
    return t("ov.programme_total", lang) if row["rollup"] else t("country.regional", lang)


def tree_row(e: dict) -> dict:
    """A row of the logframe table: a node (its code and title, indented by level) or an indicator
    row with its figures as text in the page's language ("—" where there is none)."""
    node = e["kind"] == "node"

    def text(value):
        return "" if node else pg.figure_text(value, lang)

    return {
        t("pg.col.logframe", lang): INDENT * e["depth"] + (f"{e['code']} — {e['title']}" if node else f"▸ {e['label']}"),
        t("pg.col.indicator", lang): "" if node else e["code"],
        t("pg.col.scope", lang): "" if node else where(e),
        t("pg.col.baseline", lang): text(e.get("baseline")),
        t("pg.col.target", lang): text(e.get("target")),
        t("pg.col.expected", lang): text(e.get("expected")),
        t("pg.col.actual", lang): text(e.get("actual")),
        t("pg.col.achievement", lang): None if node else pg.points(pg.shown_achievement(e)),
        t("pg.col.pace", lang): "" if node else fmt_percent(pg.shown_pace(e), lang),
        t("pg.col.status", lang): "" if node else w.status_label(e["status"], lang),
    }


def report_row(e: dict) -> dict:
    """A row of the downloadable progress report: an indicator row with its figures as numbers."""
    return {
        t("pg.col.node", lang): e["node"], t("pg.col.indicator", lang): e["code"],
        t("pg.col.label", lang): e["label"], t("pg.col.scope", lang): where(e),
        t("pg.col.baseline", lang): e["baseline"], t("pg.col.target", lang): e["target"],
        t("pg.col.expected", lang): e["expected"], t("pg.col.actual", lang): e["actual"],
        t("pg.col.achievement", lang): pg.shown_achievement(e), t("pg.col.pace", lang): pg.shown_pace(e),
        t("pg.col.status", lang): w.status_label(e["status"], lang),
    }


def status_badges(counts: dict[str, int]) -> str:
    """Markdown badges "status: n" in the order of the legend (catalogue text only)."""
    return " ".join(f":{w.STATUS_COLOURS[s]}-badge[{t('pg.status_count', lang, status=w.status_label(s, lang), n=n)}]"
                    for s, n in ((s, counts.get(s)) for s in ("ahead", "on_track", "behind", "not_due",
                                                              "non_reporting")) if n)


def card(title: str, progress, counts: dict[str, int], budget: dict | None = None) -> None:
    """A summary card: progress, indicator rows per status and, for a country, its budget
    execution against the time elapsed and the people reached there."""
    with st.container(border=True):
        st.metric(title, fmt_percent(progress, lang))
        st.markdown(status_badges(counts) or t("pg.no_rows", lang))
        if budget is not None:
            colour = w.STATUS_COLOURS.get(budget["status"], "gray")
            st.markdown(f":{colour}-badge[{t('pg.budget_status', lang, status=w.status_label(budget['status'], lang))}]")
            st.caption(t("pg.card_budget", lang, execution=fmt_percent(budget["execution"], lang),
                         elapsed=fmt_percent(k["budget"]["elapsed"], lang)))
            people = suppress(budget["participants"]) if hide else budget["participants"]
            st.caption(t("pg.card_people", lang, n=people if isinstance(people, str) else fmt_number(people, lang)))


with w.friendly_errors(lang):
    if f.programme is None:
        st.title(t("nav.progress", lang))
        st.info(t("empty.no_programme", lang), icon=":material/info:")
        st.stop()

    prog = scoped.programme(scope, f.programme)
    k = scoped.kpis(scope, f.programme, f.as_of, f.countries)
    st.title(t("pg.title", lang, code=prog.code))
    if data.is_demo():
        st.info(t("demo.banner", lang), icon=":material/science:")
    w.context_caption(prog, f, k["budget"]["elapsed"], lang)

    lf = scoped.logframe(scope, f.programme)
    if not lf["indicators"]:
        st.info(t("pg.empty", lang), icon=":material/info:")
        st.stop()
    as_of = fmt_date(f.as_of, lang)
    hide = access.suppress_small_cells()
    computed = {d["code"]: d["computed_from"] for d in lf["indicators"]}

    def shown(rows: list[dict]) -> list[dict]:
        return [pg.suppress_row(r, computed[r["code"]]) if hide else r for r in rows]

    # --- country picker ----------------------------------------------------------------------
    known = scoped.countries_of(scope, f.programme)
    sync_picker(known)
    picked = st.selectbox(t("pg.picker", lang), ["", *known], key=PICKER, on_change=picked_to_sidebar,
                          format_func=lambda c: country_name(c, lang) if c else t("pg.all_countries", lang))
    # A country-scoped account sees its countries' own rows only (roll-ups include other countries).
    restricted = sorted(scope.countries & set(known)) if scope.countries is not None else None
    countries = [picked] if picked else restricted
    rows = shown(rows_for(k, countries))

    # --- summary cards -------------------------------------------------------------------------
    in_kpis = [c for c in (countries or sorted(k["countries"])) if c in k["countries"]]
    cards = [] if countries else [("programme", None)]
    cards += [("country", c) for c in in_kpis]
    for start in range(0, len(cards), 4):
        cols = st.columns(4)
        for col, (kind, code) in zip(cols, cards[start:start + 4]):
            with col:
                if kind == "programme":
                    mine = [r for r in k["indicators"] if r["country"] is None]
                    card(t("pg.card_programme", lang), k["progress"], pg.status_counts(mine))
                else:
                    c = k["countries"][code]
                    card(country_name(code, lang), c["progress"], c["statuses"], c)
    st.caption(t("pg.rule", lang, band=fmt_percent(TH.pace_band, lang), low=fmt_percent(1 - TH.pace_band, lang),
                 high=fmt_percent(1 + TH.pace_band, lang)))

    # --- the logframe tree ---------------------------------------------------------------------
    st.subheader(t("pg.tree", lang, as_of=as_of))
    entries = pg.table_rows(lf["nodes"], rows, lf["indicators"])
    tree = pd.DataFrame([tree_row(e) for e in entries])
    right = {"alignment": "right", "width": "small"}
    st.dataframe(tree, hide_index=True, width="stretch", height=min(700, 38 + 35 * len(tree)), key="tree",
                 column_config={
                     t("pg.col.logframe", lang): st.column_config.TextColumn(width="medium"),
                     t("pg.col.indicator", lang): st.column_config.TextColumn(width="small"),
                     **{t(f"pg.col.{c}", lang): st.column_config.TextColumn(**right)
                        for c in ("baseline", "target", "expected", "actual", "pace")},
                     t("pg.col.achievement", lang): ACHIEVEMENT,
                     t("pg.col.scope", lang): st.column_config.TextColumn(width="small"),
                 })
    st.caption(t("pg.tree_note", lang))
    report = pd.DataFrame([report_row(e) for e in entries if e["kind"] == "indicator"])
    w.downloads(report, f"progres_{prog.code}_{picked or 'tous'}_{f.as_of}", lang, key="report")

    # --- results x countries heatmap ---------------------------------------------------------
    everywhere = shown(rows_for(k, restricted))
    matrix = pg.result_matrix(everywhere, lf["indicators"], lf["nodes"])
    st.subheader(t("pg.heatmap", lang))
    if not matrix:
        st.info(t("pg.no_results", lang), icon=":material/info:")
    else:
        titles = {n["code"]: n["title"] for n in lf["nodes"]}
        results = list(dict.fromkeys(m["result"] for m in matrix))
        columns = list(dict.fromkeys(m["column"] for m in matrix))
        cell = {(m["result"], m["column"]): m["progress"] for m in matrix}
        labels = {pg.REGIONAL: t("country.regional", lang), pg.PROGRAMME: t("ov.programme_total", lang)}
        z = [[cell[(r, c)] for c in columns] for r in results]
        st.plotly_chart(charts.progress_heatmap(
            z, [f"{r} — {pg.short(titles.get(r, ''))}" for r in results],
            [labels.get(c) or country_name(c, lang) for c in columns],
            [[fmt_percent(v, lang) if v is not None else "—" for v in line] for line in z],
            maps.PROGRESS_BINS, maps.NO_DATA, t("ch.pg_heatmap", lang, as_of=as_of), lang), key="heatmap")
        st.caption(t("pg.heatmap_note", lang))

    # --- choropleth ----------------------------------------------------------------------------
    st.subheader(t("pg.map", lang, as_of=as_of))
    geo = maps.countries_geojson()
    mapped = {c: v["progress"] for c, v in k["countries"].items() if restricted is None or c in restricted}
    view = maps.fit_view(maps.country_bounds(geo, mapped))
    st.pydeck_chart(maps.progress_deck(maps.progress_features(geo, mapped, lang), view), height=460,
                    key="progress_map")
    w.legend(maps.progress_legend(lang))
    st.caption(t("pg.map_note", lang, credit=maps.CREDIT))
