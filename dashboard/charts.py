"""Plotly figure builders: data in, figure out as a plain plotly dict (no Streamlit, no database).

Every figure has a title that names its subject, its unit and the as-of date; colours for
statuses come from one palette, the same as the badges.

Every text a builder receives (titles, labels, categories, legend entries, hover texts) is plain
text, often imported (funder and grant codes, session themes, logframe titles): plotly renders a
subset of HTML in all of them (``<a href>`` as a live link), so the builders escape it
(:func:`dashboard.textsafe.html`) and write the only markup themselves (``<br>``, ``<sup>``,
``<extra>``). The figures written at the end of bars (``texts``) are the app's own numbers.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .i18n import fmt_date, fmt_money, fmt_number, fmt_percent, t
from .metrics.thresholds import DEFAULT as TH
from .textsafe import html, htmls

PALETTE = {
    "spent": "#1f5f8b", "plan": "#9aa5b1", "forecast": "#e07b39", "received": "#2e8b57",
    "exposure": "#c0392b", "budget": "#c9d6e3", "weighted": "#e07b39", "raw": "#c9d6e3",
}
STATUS_COLOURS = {"green": "#2e8b57", "blue": "#1f5f8b", "red": "#c0392b", "orange": "#e08e0b", "gray": "#9aa5b1"}
#: One colour per funder type, stable across charts and pages.
TYPE_COLOURS = {
    "public_bilateral": "#1f5f8b", "multilateral": "#4c9bd6", "european_union": "#003399",
    "local_authority": "#2e8b57", "foundation": "#e07b39", "private_donors": "#c0392b",
    "corporate": "#8e44ad", "partner_cofinancing": "#16a085", "own_funds": "#7f8c8d", "other": "#bdc3c7",
}


def _figure(traces: list[dict], layout: dict) -> dict:
    """A figure as a plain plotly dict, the form page models keep and ``widgets.chart`` draws.
    Building plotly objects with per-property validation costs 10-15 ms a figure (and copying
    them out again a few more): the builders below are validated once, by the tests
    (``tests/test_charts.py`` builds each figure with validation on)."""
    return {"data": traces, "layout": layout}


def _merge(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dicts merged (as plotly's ``update_layout`` does)."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _list(values) -> list:
    """A column as a plain list (NaN and NaT become None: JSON null, a gap in the chart)."""
    if isinstance(values, pd.Series):
        return [None if v is None or (isinstance(v, float) and v != v) or v is pd.NaT else v
                for v in values.astype(object).tolist()]
    return list(values)


#: Characters per line of a chart's title (16 px bold) and of its smaller second part: the widest
#: that fit a 390 px phone, whose charts are about 350 px wide (plotly cuts a title, never wraps it).
TITLE_CHARS, TITLE_SUB_CHARS = 42, 60


def _title(title: str) -> tuple[str, int]:
    """A title as plotly markup and its number of lines. "Subject (unit, as of date)": the subject
    first, the rest smaller beneath it (so that titles fit half-width charts), both wrapped at
    spaces so that no line runs past a phone's chart."""
    if " (" in title:
        subject, rest = title.split(" (", 1)
        head, tail = _balanced(subject, TITLE_CHARS), _balanced(f"({rest}", TITLE_SUB_CHARS)
        text = head + "<br>" + "<br>".join(f"<sup>{line}</sup>" for line in tail.split("<br>"))
    else:
        text = _balanced(title, TITLE_CHARS)
    return text, text.count("<br>") + 1


def _balanced(text: str, width: int) -> str:
    """:func:`wrap` at ``width`` characters at most, on as few lines, of about the same length
    ("Conventions signées : de / leur début à leur fin", not a last line of one word)."""
    lines = wrap(text, width).count("<br>") + 1
    for narrower in range(-(-len(text) // lines), width):
        wrapped = wrap(text, narrower)
        if wrapped.count("<br>") + 1 == lines:
            return wrapped
    return wrap(text, width)


def _layout(title: str, y_title: str = "", height: int = 380, **extra) -> dict:
    title, lines = _title(title)
    # 70 px of top margin hold the two lines of most titles; each further line takes 20 px more
    # (the plot keeps its height: the figure grows)
    more = 20 * max(0, lines - 2)
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "height": height + 40, "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
        # the legend at the figure's bottom edge (yref "container"): plotly keeps the plot, its axis
        # and tick labels above it. Placed at y=-0.18 of the plot, it covered the axis's labels when
        # it wrapped onto several lines in a half-width or phone-width chart.
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"}, "plot_bgcolor": "white",
        "xaxis": {"showgrid": False},
        "yaxis": {"gridcolor": "#e8e8e8", "zerolinecolor": "#9aa5b1", "title": {"text": html(y_title)}},
    }
    out = _merge(layout, extra)
    out["margin"] = {**out["margin"], "t": out["margin"]["t"] + more}
    out["height"] += more
    return out


def date_axis(lang: str, hover: str = "day") -> dict:
    """Month ticks that read the same in both languages (plotly's month names are English), and
    the date a hover names (``hover``: "day" or "month") as :func:`dashboard.i18n.fmt_date` writes
    it, in figures in French: "31/03/2023" (its short form; plotly has no French month names),
    "Mar 31, 2023" in English."""
    month = "%m/%Y" if lang == "fr" else "%b %Y"
    day = "%d/%m/%Y" if lang == "fr" else "%b %-d, %Y"
    return {"tickformat": month, "hoverformat": day if hover == "day" else month}


#: Candidate steps between the ticks of a share axis (0..1).
_PERCENT_STEPS = (0.05, 0.1, 0.2, 0.25, 0.5)


def percent_ticks(high: float, lang: str, count: int = 4) -> dict:
    """Ticks of a share axis from 0 to ``high`` (at most ``count`` steps) written by
    :func:`dashboard.i18n.fmt_percent`: "50 %" in French, "50%" in English (plotly's own ".0%"
    format writes "50%" in every language). Four steps at most: five labels "100 %" beside long
    bar labels leave too little room on a phone (plotly then turns them on their side)."""
    high = high if high and high > 0 else 1.0
    step = next((s for s in _PERCENT_STEPS if high / s <= count), 1.0)
    values = [round(i * step, 6) for i in range(int(high / step + 1e-9) + 1)]
    return {"tickmode": "array", "tickvals": values, "ticktext": [fmt_percent(v, lang) for v in values]}


def _pair(name: str, value: str, lang: str) -> str:
    """A hover line "name : value" (French) / "name: value" (English); ``name`` and ``value`` are
    template text (e.g. ``%{fullData.name}``, ``%{customdata}``) or escaped text."""
    return t("chf.pair", lang, name=name, value=value)


def _money_hover(values, lang: str) -> list[str]:
    return [fmt_money(v, lang) if v is not None and v == v else "—" for v in _list(values)]


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for ``lang`` (``1 234,5`` in French)."""
    return ", " if lang == "fr" else ".,"


#: Figures written at the end of bars: a readable size, never shrunk to the bar's thickness
#: (plotly's default ``constraintext`` fits them into thin bars, down to ~7 px), never clipped.
BAR_TEXT = {"textposition": "outside", "cliponaxis": False, "constraintext": "none", "textfont": {"size": 12}}
#: Room left right of the longest horizontal bar for its figure ("141 %", "1 234"): the axis
#: ends this much beyond the largest value.
BAR_TEXT_ROOM = 1.25


def _bar_range(*columns) -> list[float] | None:
    """An x range from 0 to beyond the largest bar (None values, e.g. suppressed counts, ignored),
    so the figure written after the longest bar stays inside the chart; None without a value."""
    top = max((float(v) for col in columns for v in _list(col) if v is not None and v == v), default=None)
    return [0, top * BAR_TEXT_ROOM] if top and top > 0 else None


def wrap(text: str, width: int) -> str:
    """Plain ``text`` escaped and broken into lines of about ``width`` characters at spaces
    (``<br>``: plotly does not wrap tick labels itself); a word longer than ``width`` stays whole."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(html(line) for line in lines)


def _money_trace(trace: dict, lang: str) -> dict:
    """``trace`` with its amounts (``y``) written in its hover as :func:`fmt_money` writes them,
    after the trace's name."""
    return {**trace, "customdata": _money_hover(trace["y"], lang),
            "hovertemplate": _pair("%{fullData.name}", "%{customdata}", lang) + "<extra></extra>"}


def spend_curve(curve: pd.DataFrame, as_of: dt.date, lang: str) -> dict:
    traces = [_money_trace({"type": "scatter", "x": _list(curve["month_end"]), "y": _list(curve["plan"]),
                            "name": t("ch.plan", lang), "mode": "lines",
                            "line": {"color": PALETTE["plan"], "dash": "dot"}}, lang)]
    spent = curve.dropna(subset=["spent"])
    traces.append(_money_trace({"type": "scatter", "x": _list(spent["month_end"]), "y": _list(spent["spent"]),
                                "name": t("ch.spent_cum", lang), "mode": "lines+markers",
                                "line": {"color": PALETTE["spent"], "width": 3}, "marker": {"size": 4}}, lang))
    forecast = curve.dropna(subset=["forecast"])
    if not forecast.empty:
        traces.append(_money_trace({"type": "scatter", "x": _list(forecast["month_end"]),
                                    "y": _list(forecast["forecast"]), "name": t("ch.forecast", lang), "mode": "lines",
                                    "line": {"color": PALETTE["forecast"], "dash": "dash"}}, lang))
    # the title names what is drawn: no forecast once the programme has ended or before any spending
    title = "ch.spend_curve" if not forecast.empty else "chx.spend_curve_no_forecast"
    return _figure(traces, _layout(t(title, lang, as_of=fmt_date(as_of, lang)), "EUR",
                                   separators=separators(lang), hovermode="x unified", xaxis=date_axis(lang),
                                   **_as_of_mark(as_of, lang)))


def _as_of_mark(as_of: dt.date, lang: str) -> dict:
    """A dotted vertical line at the as-of date, labelled (layout shapes and annotations)."""
    return {
        "shapes": [{"type": "line", "x0": as_of, "x1": as_of, "y0": 0, "y1": 1, "yref": "paper",
                    "line": {"color": "#555", "width": 1, "dash": "dot"}}],
        "annotations": [{"x": as_of, "y": 1, "yref": "paper",
                         "text": t("ch.as_of_mark", lang, as_of=fmt_date(as_of, lang, "short")), "showarrow": False,
                         "xanchor": "left", "yanchor": "bottom", "font": {"size": 11, "color": "#555"}}],
    }


def budget_vs_spent(frame: pd.DataFrame, label_column: str, title: str, lang: str) -> dict:
    """Horizontal bars: budget (light) and spent (dark) per country or category."""
    frame = frame.iloc[::-1]  # largest at the top
    labels = htmls(_list(frame[label_column]))
    rates = [fmt_percent(e, lang) if e is not None and e == e else "" for e in frame["execution"]]
    template = "%{y}<br>" + _pair("%{fullData.name}", "%{customdata}", lang) + "<extra></extra>"
    traces = [
        {"type": "bar", "y": labels, "x": _list(frame["amount_eur"]), "name": t("ch.budget", lang),
         "orientation": "h", "marker": {"color": PALETTE["budget"]},
         "customdata": _money_hover(frame["amount_eur"], lang), "hovertemplate": template},
        {"type": "bar", "y": labels, "x": _list(frame["spent_eur"]), "name": t("ch.spent", lang), "orientation": "h",
         "marker": {"color": PALETTE["spent"]}, "width": 0.4, "text": rates, **BAR_TEXT,
         "customdata": [t("chf.spent", lang, money=m, percent=r) if r else m
                        for m, r in zip(_money_hover(frame["spent_eur"], lang), rates)],
         "hovertemplate": template},
    ]
    return _figure(traces, _layout(title, height=max(260, 60 + 34 * len(frame)), barmode="overlay",
                                   separators=separators(lang),
                                   xaxis={"range": _bar_range(frame["amount_eur"], frame["spent_eur"])},
                                   yaxis={"automargin": True}))


def cash(curve: pd.DataFrame, as_of: dt.date, lang: str) -> dict:
    """Cumulative spent and received, and the exposure between them, at the month ends with a
    movement. All three are steps held from one month end to the next ("hv"): the exposure area
    is then, at every date, the gap between the two lines (a straight segment between sparse
    months would slope where both lines are flat)."""
    months = _list(curve["month_end"])
    traces = [_money_trace(trace, lang) for trace in (
        {"type": "scatter", "x": months, "y": _list(curve["exposure"]), "name": t("ch.exposure", lang),
         "mode": "lines", "fill": "tozeroy", "line": {"color": PALETTE["exposure"], "width": 0.5, "shape": "hv"},
         "fillcolor": "rgba(192,57,43,0.18)"},
        {"type": "scatter", "x": months, "y": _list(curve["spent"]), "name": t("ch.spent_cum", lang), "mode": "lines",
         "line": {"color": PALETTE["spent"], "width": 3, "shape": "hv"}},
        {"type": "scatter", "x": months, "y": _list(curve["received"]), "name": t("ch.received_cum", lang),
         "mode": "lines", "line": {"color": PALETTE["received"], "width": 3, "shape": "hv"}},
    )]
    return _figure(traces, _layout(t("ch.cash", lang, as_of=fmt_date(as_of, lang)), "EUR",
                                   separators=separators(lang), hovermode="x unified", xaxis=date_axis(lang)))


def shares_bar(frame: pd.DataFrame, label_column: str, colour_column: str, title: str, lang: str,
               type_labels: dict[str, str], hover_column: str | None = None, label_chars: int | None = None) -> dict:
    """Horizontal bars of shares (0..1), coloured by funder type; ``hover_column`` (e.g. the
    funder's code when the bars are named by the funder's name) is added to each bar's hover;
    ``label_chars``: labels wrapped onto lines of about that many characters (never cut)."""
    frame = frame.iloc[::-1]

    def labels(values) -> list[str]:
        return [wrap(v, label_chars) for v in _list(values)] if label_chars else htmls(_list(values))

    traces = []
    for ftype, part in frame.groupby(colour_column, sort=False):
        trace = {"type": "bar", "y": labels(part[label_column]), "x": _list(part["share"]), "orientation": "h",
                 "name": html(type_labels.get(ftype, ftype)), "marker": {"color": TYPE_COLOURS.get(ftype, "#bdc3c7")},
                 "text": [fmt_percent(s, lang) for s in part["share"]], **BAR_TEXT,
                 "customdata": [fmt_percent(s, lang) for s in part["share"]],
                 "hovertemplate": "%{y}<br>%{customdata}<extra></extra>"}
        if hover_column is not None:
            # imported text enters the hover as a value (%{customdata}), escaped, never as template text
            trace["customdata"] = [t("chx.funder_hover", lang, code=html(c)) + "<br>" + share
                                   for c, share in zip(part[hover_column], trace["customdata"])]
        traces.append(trace)
    return _figure(traces, _layout(
        title, height=max(240, 70 + (44 if label_chars else 34) * len(frame)), separators=separators(lang),
        barmode="stack",
        xaxis={"range": _bar_range(frame["share"]) or [0, 1],
               **percent_ticks((_bar_range(frame["share"]) or [0, 1])[1], lang)},
        yaxis={"categoryorder": "array", "categoryarray": labels(frame[label_column]), "automargin": True}))


#: HHI bands drawn behind the HHI trend (bounds of METRICS.md: diversified, moderate, concentrated).
HHI_BANDS = ((0, 0.15, "#d3f0dc"), (0.15, 0.25, "#fde6c8"), (0.25, 1.05, "#f9d4d2"))


def trend(per_type: pd.DataFrame, hhi: pd.DataFrame, as_of: dt.date, lang: str, type_labels: dict[str, str]):
    """(signed funding per year by funder type, HHI of the funding base at each year end)."""
    # Every year from the first signature to the as-of date, in order, on both charts: a numeric
    # axis with a tick a year (a category axis took the years in the order the traces, one per
    # funder type, brought them: "2024, 2023, 2021", and left out a year without a signature).
    known = [int(y) for y in list(per_type["year"]) + list(hhi["year"])]
    year_axis = {"type": "linear", "tickmode": "linear", "dtick": 1, "tickformat": "d", "hoverformat": "d",
                 "showgrid": False}
    if known:
        year_axis["range"] = [min(known) - 0.5, max(known) + 0.5]
    bar_traces = [{"type": "bar", "x": [int(y) for y in part["year"]], "y": _list(part["amount_eur"]),
                   "name": html(type_labels.get(ftype, ftype)), "marker": {"color": TYPE_COLOURS.get(ftype, "#bdc3c7")},
                   "customdata": _money_hover(part["amount_eur"], lang),
                   "hovertemplate": "%{x}<br>" + _pair("%{fullData.name}", "%{customdata}", lang) + "<extra></extra>"}
                  for ftype, part in per_type.groupby("funder_type")]
    bars = _figure(bar_traces, _layout(t("ch.trend", lang, as_of=fmt_date(as_of, lang)), "EUR", height=340,
                                       barmode="stack", separators=separators(lang), xaxis=year_axis))
    hhi_texts = [fmt_number(v, lang, 2) if v is not None and v == v else "" for v in hhi["hhi"]]
    line_trace = {"type": "scatter", "x": [int(y) for y in hhi["year"]], "y": _list(hhi["hhi"]),
                  "mode": "lines+markers+text", "text": hhi_texts, "customdata": hhi_texts,
                  "hovertemplate": "%{x}<br>" + _pair("HHI", "%{customdata}", lang) + "<extra></extra>",
                  "textposition": "top center", "line": {"color": PALETTE["spent"], "width": 3}, "name": "HHI",
                  "showlegend": False}
    shapes = [{"type": "rect", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": low, "y1": high,
               "fillcolor": colour, "opacity": 0.5, "line": {"width": 0}} for low, high, colour in HHI_BANDS]
    line = _figure([line_trace], _layout(t("ch.hhi_trend", lang, as_of=fmt_date(as_of, lang)), "HHI (0–1)",
                                         height=340, separators=separators(lang), shapes=shapes,
                                         yaxis={"range": [0, 1.05]}, xaxis=year_axis))
    return bars, line


def pipeline(frame: pd.DataFrame, lang: str) -> dict:
    """Raw and probability-weighted amounts of prospects and submitted applications."""
    codes = htmls(_list(frame["code"]))
    traces = [
        {"type": "bar", "y": codes, "x": _list(frame["amount_eur"]), "orientation": "h", "name": t("ch.raw", lang),
         "marker": {"color": PALETTE["raw"]}, "customdata": _money_hover(frame["amount_eur"], lang)},
        {"type": "bar", "y": codes, "x": _list(frame["weighted_eur"]), "orientation": "h",
         "name": t("ch.weighted", lang), "marker": {"color": PALETTE["weighted"]}, "width": 0.4,
         "customdata": _money_hover(frame["weighted_eur"], lang)},
    ]
    for trace in traces:
        trace["hovertemplate"] = "%{y}<br>" + _pair("%{fullData.name}", "%{customdata}", lang) + "<extra></extra>"
    return _figure(traces, _layout(t("ch.pipeline", lang), height=max(220, 70 + 40 * len(frame)),
                                   barmode="overlay", separators=separators(lang)))


def _day(value) -> dt.date | None:
    """A date from a date, a Timestamp or an ISO string; None when missing."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


def timeline(frame: pd.DataFrame, flagged: set[str], as_of: dt.date, lang: str) -> dict:
    """Signed grants as bars from start (or signature) to end; flagged ones in red."""
    frame = frame.iloc[::-1]
    traces = []
    for code, label, start, signed, end in zip(frame["code"], frame["label"], frame["start_date"],
                                               frame["signed_date"], frame["end_date"]):
        colour = STATUS_COLOURS["red"] if code in flagged else STATUS_COLOURS["blue"]
        # The label enters the hover as a value (%{y}), never as template text: a "%{...}" in a
        # name stays text.
        period = t("chf.period", lang, start=fmt_date(_day(start or signed), lang), end=fmt_date(_day(end), lang))
        traces.append({"type": "scatter", "x": [start or signed, end], "y": [html(label)] * 2, "mode": "lines",
                       "line": {"color": colour, "width": 14}, "showlegend": False, "customdata": [period] * 2,
                       "hovertemplate": "%{y}<br>%{customdata}<extra></extra>"})
    return _figure(traces, _layout(
        t("ch.timeline", lang, as_of=fmt_date(as_of, lang)), height=max(240, 80 + 36 * len(frame)),
        separators=separators(lang), xaxis=date_axis(lang), **_as_of_mark(as_of, lang),
        yaxis={"categoryorder": "array", "categoryarray": htmls(_list(frame["label"]))}))


# --- training reach and country progress -------------------------------------------------------

#: Sexes in the order and colours of the training charts ('' = not recorded).
SEX_COLOURS = {"F": "#8e44ad", "M": "#16a085", "X": "#e08e0b", "": "#bdc3c7"}


def _counts(values, lang: str) -> list[str]:
    """Counts as :func:`fmt_number` writes them; a mark of a hidden count ("< 5") stays as it is."""
    return [v if isinstance(v, str) else "" if v is None or v != v else fmt_number(v, lang) for v in _list(values)]


def sessions_and_reach(frame: pd.DataFrame, title: str, lang: str) -> dict:
    """Sessions per month (bars, left axis) and distinct participants reached so far (line, right
    axis); ``frame`` has ``month_end``, ``sessions`` and ``reached`` (None where suppressed)."""
    # Each month is drawn across its own period (not on its last day, which reads as the next month).
    period = {"xperiod": "M1", "xperiodalignment": "middle"}
    months = _list(frame["month_end"])
    traces = [
        {"type": "bar", "x": months, "y": _list(frame["sessions"]), "name": t("ch.tr_sessions", lang),
         "marker": {"color": PALETTE["budget"]}, "text": _counts(frame["sessions"], lang), **BAR_TEXT, **period},
        {"type": "scatter", "x": months, "y": _list(frame["reached"]), "name": t("ch.tr_reached", lang),
         "yaxis": "y2", "mode": "lines+markers", "line": {"color": PALETTE["spent"], "width": 3},
         "connectgaps": False, **period},
    ]
    for trace in traces:
        trace["customdata"] = _counts(trace["y"], lang)
        trace["hovertemplate"] = _pair("%{fullData.name}", "%{customdata}", lang) + "<extra></extra>"
    grid = {"gridcolor": "#e8e8e8", "zerolinecolor": "#9aa5b1", "rangemode": "tozero"}
    return _figure(traces, _layout(
        title, t("ch.tr_sessions_axis", lang), separators=separators(lang), hovermode="x unified",
        xaxis=date_axis(lang, hover="month"), yaxis={"rangemode": "tozero"},
        yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "tickmode": "auto",
                "title": {"text": t("ch.tr_reached_axis", lang)}, **grid}))


def counts_bar(labels: list[str], values: list, texts: list[str], title: str, lang: str,
               colour: str = PALETTE["spent"], hover: list[str] | None = None) -> dict:
    """Horizontal bars of counts, the largest first; ``texts`` are the figures written at the end
    of the bars (e.g. "< 5" for a suppressed count, whose value is None)."""
    shown = htmls(labels)[::-1]
    trace = {"type": "bar", "y": shown, "x": _list(values)[::-1], "orientation": "h",
             "marker": {"color": colour}, "text": list(texts)[::-1], **BAR_TEXT,
             "showlegend": False, "hovertext": htmls(hover or labels)[::-1], "customdata": list(texts)[::-1],
             "hovertemplate": "%{hovertext}<br>%{customdata}<extra></extra>"}
    return _figure([trace], _layout(
        title, height=max(220, 70 + 32 * len(labels)), separators=separators(lang),
        xaxis={"range": _bar_range(values)},
        yaxis={"categoryorder": "array", "categoryarray": shown, "automargin": True}))


def sex_age_bars(grid: pd.DataFrame, age_labels: dict[str, str], sex_labels: dict[str, str], title: str,
                 lang: str) -> dict:
    """Participants per age band (rows of ``grid``), stacked by sex (its columns). A cell may be
    the mark of a hidden count ("< 5", "n.d.": :mod:`dashboard.disclosure`): it is drawn hatched,
    with the length of the small-cell threshold, its mark written on it and in its hover."""
    bands = [html(age_labels[b]) for b in grid.index]
    traces = []
    for sex in grid.columns:
        cells = _list(grid[sex])[::-1]
        hidden = [isinstance(v, str) for v in cells]
        trace = {"type": "bar", "y": bands[::-1], "x": [TH.small_cell if h else v for v, h in zip(cells, hidden)],
                 "orientation": "h", "name": html(sex_labels[sex]), "marker": {"color": SEX_COLOURS.get(sex, "#bdc3c7")}}
        trace["customdata"] = _counts(cells, lang)
        trace["hovertemplate"] = _pair("%{fullData.name} · %{y}", "%{customdata}", lang) + "<extra></extra>"
        if any(hidden):
            trace["marker"]["pattern"] = {"shape": ["/" if h else "" for h in hidden]}
            trace["text"] = [v if h else "" for v, h in zip(cells, hidden)]
            trace["textposition"] = "inside"
        traces.append(trace)
    return _figure(traces, _layout(
        title, height=320, barmode="stack", separators=separators(lang), legend={"traceorder": "normal"},
        yaxis={"categoryorder": "array", "categoryarray": bands[::-1], "automargin": True}))


def progress_colourscale(bins: tuple[tuple[float, str], ...]) -> list:
    """A stepped plotly colour scale over 0..1 from (upper bound, colour) classes."""
    scale, lower = [], 0.0
    for upper, colour in bins:
        scale += [[lower, colour], [upper, colour]]
        lower = upper
    return scale


#: Characters per line of the heatmap's country labels (wrapped, never cut nor rotated).
HEATMAP_COUNTRY_CHARS = 12


def progress_heatmap(z: list[list], result_codes: list[str], result_titles: list[str], column_labels: list[str],
                     texts: list[list[str]], bins: tuple[tuple[float, str], ...], no_data: str, title: str,
                     lang: str) -> dict:
    """Progress per result (``z[result][column]``, ``texts`` alike) and country column, coloured in
    the classes of the map; cells without a figure (None) are grey, as on the map.

    Drawn with the countries as rows (their names whole, wrapped at HEATMAP_COUNTRY_CHARS) and
    the results as columns named by their short codes, never rotated: nine countries and six
    results read on a 390 px phone as on a desktop. A result's full title is in each cell's hover
    (and the page lists the titles under the chart); the colour scale lies beneath the grid."""
    codes = htmls(result_codes)
    countries = [wrap(x, HEATMAP_COUNTRY_CHARS) for x in column_labels]
    titles = htmls(result_titles)
    by_country = [[line[j] for line in z] for j in range(len(column_labels))]
    shown = [[line[j] for line in texts] for j in range(len(column_labels))]
    blank = [[0 if v is None else None for v in row] for row in by_country]
    lines = max((x.count("<br>") + 1 for x in countries), default=1)
    traces = [
        {"type": "heatmap", "z": blank, "x": codes, "y": countries,
         "colorscale": [[0, no_data], [1, no_data]], "showscale": False, "hoverinfo": "skip", "xgap": 2, "ygap": 2},
        {"type": "heatmap", "z": by_country, "x": codes, "y": countries, "text": shown,
         "customdata": [titles for _ in countries],
         "texttemplate": "%{text}", "textfont": {"size": 12}, "zmin": 0, "zmax": 1,
         "colorscale": progress_colourscale(bins), "xgap": 2, "ygap": 2,
         "hovertemplate": "%{x} — %{customdata}<br>%{y}: %{text}<extra></extra>",
         "colorbar": {**percent_ticks(1, lang, 5), "thickness": 10,
                      "orientation": "h", "x": 0, "xanchor": "left", "y": -0.04, "yanchor": "top", "len": 1}},
    ]
    return _figure(traces, _layout(
        title, height=max(260, 130 + max(34, 15 * lines + 6) * len(countries)), separators=separators(lang),
        margin={"t": 100},  # the result codes sit above the grid, under the title's two lines
        yaxis={"autorange": "reversed", "automargin": True, "gridcolor": "white", "tickfont": {"size": 12}},
        xaxis={"side": "top", "automargin": True, "tickangle": 0, "tickfont": {"size": 12}}))
