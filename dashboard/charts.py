"""Plotly figure builders: data in, figure out (no Streamlit, no database).

Every figure has a title that names its subject, its unit and the as-of date; colours for
statuses come from one palette, the same as the badges.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from .i18n import fmt_date, t

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


def _layout(fig: go.Figure, title: str, y_title: str = "", height: int = 380) -> go.Figure:
    # "Subject (unit, as of date)": the subject on the first line, the rest smaller beneath it,
    # so that titles fit half-width charts.
    if " (" in title:
        subject, rest = title.split(" (", 1)
        title = f"{subject}<br><sup>({rest}</sup>"
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        height=height + 40, margin={"l": 10, "r": 10, "t": 70, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18}, yaxis_title=y_title, plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#e8e8e8", zerolinecolor="#9aa5b1")
    return fig


def date_axis(fig: go.Figure, lang: str) -> go.Figure:
    """Month ticks that read the same in both languages (plotly's month names are English)."""
    fig.update_xaxes(tickformat="%m/%Y" if lang == "fr" else "%b %Y")
    return fig


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for ``lang`` (``1 234,5`` in French)."""
    return ", " if lang == "fr" else ".,"


def spend_curve(curve: pd.DataFrame, as_of: dt.date, lang: str) -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(x=curve["month_end"], y=curve["plan"], name=t("ch.plan", lang), mode="lines",
                    line={"color": PALETTE["plan"], "dash": "dot"})
    spent = curve.dropna(subset=["spent"])
    fig.add_scatter(x=spent["month_end"], y=spent["spent"], name=t("ch.spent_cum", lang), mode="lines+markers",
                    line={"color": PALETTE["spent"], "width": 3}, marker={"size": 4})
    forecast = curve.dropna(subset=["forecast"])
    if not forecast.empty:
        fig.add_scatter(x=forecast["month_end"], y=forecast["forecast"], name=t("ch.forecast", lang),
                        mode="lines", line={"color": PALETTE["forecast"], "dash": "dash"})
    _mark_as_of(fig, as_of, lang)
    fig.update_layout(separators=separators(lang), hovermode="x unified")
    return date_axis(_layout(fig, t("ch.spend_curve", lang, as_of=fmt_date(as_of, lang)), "EUR"), lang)


def _mark_as_of(fig: go.Figure, as_of: dt.date, lang: str) -> None:
    # add_vline with a date annotation is unreliable across plotly versions: draw it as a shape.
    fig.add_shape(type="line", x0=as_of, x1=as_of, y0=0, y1=1, yref="paper",
                  line={"color": "#555", "width": 1, "dash": "dot"})
    fig.add_annotation(x=as_of, y=1, yref="paper", text=t("ch.as_of_mark", lang, as_of=fmt_date(as_of, lang, "short")),
                       showarrow=False, xanchor="left", yanchor="bottom", font={"size": 11, "color": "#555"})


def budget_vs_spent(frame: pd.DataFrame, label_column: str, title: str, lang: str) -> go.Figure:
    """Horizontal bars: budget (light) and spent (dark) per country or category."""
    frame = frame.iloc[::-1]  # largest at the top
    fig = go.Figure()
    fig.add_bar(y=frame[label_column], x=frame["amount_eur"], name=t("ch.budget", lang), orientation="h",
                marker_color=PALETTE["budget"])
    fig.add_bar(y=frame[label_column], x=frame["spent_eur"], name=t("ch.spent", lang), orientation="h",
                marker_color=PALETTE["spent"], width=0.4,
                text=[f"{e:.0%}" if e is not None and e == e else "" for e in frame["execution"]],
                textposition="outside")
    fig.update_layout(barmode="overlay", separators=separators(lang))
    return _layout(fig, title, height=max(260, 60 + 34 * len(frame)))


def cash(curve: pd.DataFrame, as_of: dt.date, lang: str) -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(x=curve["month_end"], y=curve["exposure"], name=t("ch.exposure", lang), mode="lines",
                    fill="tozeroy", line={"color": PALETTE["exposure"], "width": 0.5},
                    fillcolor="rgba(192,57,43,0.18)")
    fig.add_scatter(x=curve["month_end"], y=curve["spent"], name=t("ch.spent_cum", lang), mode="lines",
                    line={"color": PALETTE["spent"], "width": 3})
    fig.add_scatter(x=curve["month_end"], y=curve["received"], name=t("ch.received_cum", lang), mode="lines",
                    line={"color": PALETTE["received"], "width": 3, "shape": "hv"})
    fig.update_layout(separators=separators(lang), hovermode="x unified")
    return date_axis(_layout(fig, t("ch.cash", lang, as_of=fmt_date(as_of, lang)), "EUR"), lang)


def shares_bar(frame: pd.DataFrame, label_column: str, colour_column: str, title: str, lang: str,
               type_labels: dict[str, str]) -> go.Figure:
    """Horizontal bars of shares (0..1), coloured by funder type."""
    frame = frame.iloc[::-1]
    fig = go.Figure()
    for ftype, part in frame.groupby(colour_column, sort=False):
        fig.add_bar(y=part[label_column], x=part["share"], orientation="h", name=type_labels.get(ftype, ftype),
                    marker_color=TYPE_COLOURS.get(ftype, "#bdc3c7"),
                    text=[f"{s:.0%}" for s in part["share"]], textposition="outside")
    fig.update_layout(separators=separators(lang), barmode="stack")
    fig = _layout(fig, title, height=max(240, 70 + 34 * len(frame)))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.1])
    fig.update_yaxes(categoryorder="array", categoryarray=list(frame[label_column]))
    return fig


def trend(per_type: pd.DataFrame, hhi: pd.DataFrame, as_of: dt.date, lang: str, type_labels: dict[str, str]):
    """(signed funding per year by funder type, HHI of the funding base at each year end)."""
    bars = go.Figure()
    for ftype, part in per_type.groupby("funder_type"):
        bars.add_bar(x=part["year"].astype(str), y=part["amount_eur"], name=type_labels.get(ftype, ftype),
                     marker_color=TYPE_COLOURS.get(ftype, "#bdc3c7"))
    bars.update_layout(barmode="stack", separators=separators(lang))
    bars = _layout(bars, t("ch.trend", lang, as_of=fmt_date(as_of, lang)), "EUR", height=340)
    bars.update_xaxes(type="category")
    line = go.Figure()
    line.add_scatter(x=hhi["year"].astype(str), y=hhi["hhi"], mode="lines+markers+text",
                     text=[f"{v:.2f}" if v is not None else "" for v in hhi["hhi"]], textposition="top center",
                     line={"color": PALETTE["spent"], "width": 3}, name="HHI", showlegend=False)
    line.add_hrect(y0=0, y1=0.15, fillcolor="#d3f0dc", opacity=0.5, line_width=0)
    line.add_hrect(y0=0.15, y1=0.25, fillcolor="#fde6c8", opacity=0.5, line_width=0)
    line.add_hrect(y0=0.25, y1=1.05, fillcolor="#f9d4d2", opacity=0.5, line_width=0)
    line.update_layout(separators=separators(lang))
    line = _layout(line, t("ch.hhi_trend", lang, as_of=fmt_date(as_of, lang)), "HHI (0–1)", height=340)
    line.update_yaxes(range=[0, 1.05])
    line.update_xaxes(type="category")
    return bars, line


def pipeline(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Raw and probability-weighted amounts of prospects and submitted applications."""
    fig = go.Figure()
    fig.add_bar(y=frame["code"], x=frame["amount_eur"], orientation="h", name=t("ch.raw", lang),
                marker_color=PALETTE["raw"])
    fig.add_bar(y=frame["code"], x=frame["weighted_eur"], orientation="h", name=t("ch.weighted", lang),
                marker_color=PALETTE["weighted"], width=0.4)
    fig.update_layout(barmode="overlay", separators=separators(lang))
    return _layout(fig, t("ch.pipeline", lang), height=max(220, 70 + 40 * len(frame)))


def timeline(frame: pd.DataFrame, flagged: set[str], as_of: dt.date, lang: str) -> go.Figure:
    """Signed grants as bars from start (or signature) to end; flagged ones in red."""
    fig = go.Figure()
    frame = frame.iloc[::-1]
    for _, g in frame.iterrows():
        start = g["start_date"] or g["signed_date"]
        colour = STATUS_COLOURS["red"] if g["code"] in flagged else STATUS_COLOURS["blue"]
        fig.add_scatter(x=[start, g["end_date"]], y=[g["label"], g["label"]], mode="lines",
                        line={"color": colour, "width": 14}, showlegend=False,
                        hovertemplate=f"{g['label']}<br>%{{x}}<extra></extra>")
    _mark_as_of(fig, as_of, lang)
    fig.update_layout(separators=separators(lang))
    fig = _layout(fig, t("ch.timeline", lang, as_of=fmt_date(as_of, lang)), height=max(240, 80 + 36 * len(frame)))
    fig.update_yaxes(categoryorder="array", categoryarray=list(frame["label"]))
    return date_axis(fig, lang)


# --- training reach and country progress -------------------------------------------------------

#: Sexes in the order and colours of the training charts ('' = not recorded).
SEX_COLOURS = {"F": "#8e44ad", "M": "#16a085", "X": "#e08e0b", "": "#bdc3c7"}


def sessions_and_reach(frame: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Sessions per month (bars, left axis) and distinct participants reached so far (line, right
    axis); ``frame`` has ``month_end``, ``sessions`` and ``reached`` (None where suppressed)."""
    fig = go.Figure()
    # Each month is drawn across its own period (not on its last day, which reads as the next month).
    period = {"xperiod": "M1", "xperiodalignment": "middle"}
    fig.add_bar(x=frame["month_end"], y=frame["sessions"], name=t("ch.tr_sessions", lang),
                marker_color=PALETTE["budget"], text=frame["sessions"], textposition="outside", **period)
    fig.add_scatter(x=frame["month_end"], y=frame["reached"], name=t("ch.tr_reached", lang), yaxis="y2",
                    mode="lines+markers", line={"color": PALETTE["spent"], "width": 3}, connectgaps=False, **period)
    fig.update_layout(separators=separators(lang), hovermode="x unified",
                      yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero", "showgrid": False,
                              "tickmode": "auto", "title": t("ch.tr_reached_axis", lang)})
    fig = _layout(fig, title, t("ch.tr_sessions_axis", lang))
    fig.update_yaxes(rangemode="tozero")
    return date_axis(fig, lang)


def counts_bar(labels: list[str], values: list, texts: list[str], title: str, lang: str,
               colour: str = PALETTE["spent"], hover: list[str] | None = None) -> go.Figure:
    """Horizontal bars of counts, the largest first; ``texts`` are the figures written at the end
    of the bars (e.g. "< 5" for a suppressed count, whose value is None)."""
    fig = go.Figure()
    fig.add_bar(y=labels[::-1], x=values[::-1], orientation="h", marker_color=colour, text=texts[::-1],
                textposition="outside", cliponaxis=False, showlegend=False,
                hovertext=(hover or labels)[::-1], hoverinfo="text+x")
    fig.update_layout(separators=separators(lang))
    fig = _layout(fig, title, height=max(220, 70 + 32 * len(labels)))
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], automargin=True)
    return fig


def sex_age_bars(grid: pd.DataFrame, age_labels: dict[str, str], sex_labels: dict[str, str], title: str,
                 lang: str) -> go.Figure:
    """Participants per age band (rows of ``grid``), stacked by sex (its columns); None = suppressed."""
    fig = go.Figure()
    bands = [age_labels[b] for b in grid.index]
    for sex in grid.columns:
        values = [v for v in grid[sex]]
        fig.add_bar(y=bands[::-1], x=values[::-1], orientation="h", name=sex_labels[sex],
                    marker_color=SEX_COLOURS.get(sex, "#bdc3c7"))
    fig.update_layout(barmode="stack", separators=separators(lang), legend_traceorder="normal")
    fig = _layout(fig, title, height=320)
    fig.update_yaxes(categoryorder="array", categoryarray=bands[::-1], automargin=True)
    return fig


def progress_colourscale(bins: tuple[tuple[float, str], ...]) -> list:
    """A stepped plotly colour scale over 0..1 from (upper bound, colour) classes."""
    scale, lower = [], 0.0
    for upper, colour in bins:
        scale += [[lower, colour], [upper, colour]]
        lower = upper
    return scale


def progress_heatmap(z: list[list], row_labels: list[str], column_labels: list[str], texts: list[list[str]],
                     bins: tuple[tuple[float, str], ...], no_data: str, title: str, lang: str) -> go.Figure:
    """Results (rows) x countries (columns) coloured by progress in the classes of the map; cells
    without a figure (None) are grey, as on the map."""
    fig = go.Figure()
    blank = [[0 if v is None else None for v in row] for row in z]
    fig.add_heatmap(z=blank, x=column_labels, y=row_labels, colorscale=[[0, no_data], [1, no_data]],
                    showscale=False, hoverinfo="skip", xgap=2, ygap=2)
    fig.add_heatmap(z=z, x=column_labels, y=row_labels, text=texts, texttemplate="%{text}", textfont={"size": 13},
                    zmin=0, zmax=1,
                    colorscale=progress_colourscale(bins), xgap=2, ygap=2, hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
                    colorbar={"tickformat": ".0%", "tickvals": [0, 0.2, 0.4, 0.6, 0.8, 1], "thickness": 12})
    fig.update_layout(separators=separators(lang))
    fig = _layout(fig, title, height=max(260, 80 + 38 * len(row_labels)))
    fig.update_layout(plot_bgcolor="white")
    fig.update_yaxes(autorange="reversed", automargin=True, gridcolor="white")
    fig.update_xaxes(side="top", automargin=True)
    return fig
