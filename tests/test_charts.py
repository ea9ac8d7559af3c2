"""The figure builders return plain plotly dicts, never validated when a page builds them
(plotly's validation costs 10-15 ms a figure): here each one is built into a validated Figure, so
a misspelt property or a bad value fails a test instead of reaching a browser, and a few drawn
values are checked by hand."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

import pagecharts
from apptest import database, open_page
from dashboard import charts

AS_OF = dt.date(2023, 10, 24)
TYPES = {"public_bilateral": "Bilatéral", "foundation": "Fondation"}


def _curve() -> pd.DataFrame:
    months = [dt.date(2023, 7, 31), dt.date(2023, 8, 31), dt.date(2023, 9, 30), dt.date(2023, 10, 31)]
    return pd.DataFrame({"month_end": months, "plan": [10.0, 20.0, 30.0, 40.0], "spent": [8.0, 19.0, None, None],
                         "forecast": [None, 19.0, 29.5, 40.0], "exposure": [8.0, 4.0, 0.0, 0.0],
                         "received": [0.0, 15.0, 30.0, 30.0]})


def _grants() -> pd.DataFrame:
    return pd.DataFrame({"code": ["G1", "G2"], "label": ["G1 · AFD", "G2 · FdF"],
                         "start_date": [dt.date(2022, 1, 1), None], "signed_date": [dt.date(2021, 12, 1),
                                                                                     dt.date(2023, 2, 1)],
                         "end_date": [dt.date(2024, 3, 31), dt.date(2025, 12, 31)]})


def _all_figures() -> dict[str, dict]:
    lines = pd.DataFrame({"label": ["Burkina Faso", "Mali"], "amount_eur": [1000.0, 500.0],
                          "spent_eur": [900.0, 100.0], "execution": [0.9, float("nan")]})
    shares = pd.DataFrame({"label": ["AFD", "FdF", "UE"], "share": [0.5, 0.3, 0.2],
                           "funder_type": ["public_bilateral", "foundation", "public_bilateral"]})
    per_type = pd.DataFrame({"year": [2022, 2022, 2023], "funder_type": ["foundation", "public_bilateral",
                                                                           "foundation"],
                             "amount_eur": [10.0, 30.0, 20.0]})
    hhi = pd.DataFrame({"year": [2022, 2023], "hhi": [0.625, None]})
    pipe = pd.DataFrame({"code": ["P1"], "amount_eur": [100.0], "weighted_eur": [25.0]})
    reach = pd.DataFrame({"month_end": [dt.date(2023, 1, 31), dt.date(2023, 2, 28)], "sessions": [2, 1],
                          "reached": [12, None]})
    grid = pd.DataFrame({"F": [3, None], "M": [4, 6]}, index=["15-24", "25-34"])
    bars, line = charts.trend(per_type, hhi, AS_OF, "fr", TYPES)
    return {
        "spend_curve": charts.spend_curve(_curve(), AS_OF, "fr"),
        "budget_vs_spent": charts.budget_vs_spent(lines, "label", "Budget et dépenses (EUR, au 24/10/2023)", "fr"),
        "cash": charts.cash(_curve(), AS_OF, "en"),
        "shares_bar": charts.shares_bar(shares, "label", "funder_type", "Parts", "fr", TYPES),
        "trend": bars, "hhi_trend": line,
        "pipeline": charts.pipeline(pipe, "fr"),
        "timeline": charts.timeline(_grants(), {"G1"}, AS_OF, "fr"),
        "sessions_and_reach": charts.sessions_and_reach(reach, "Sessions", "fr"),
        "counts_bar": charts.counts_bar(["Mali", "Niger"], [7, None], ["7", "< 5"], "Pays", "fr"),
        "sex_age_bars": charts.sex_age_bars(grid, {"15-24": "15–24 ans", "25-34": "25–34 ans"},
                                            {"F": "Femmes", "M": "Hommes"}, "Âge", "fr"),
        "sex_age_bars_hidden": charts.sex_age_bars(
            pd.DataFrame({"F": ["< 5", 12], "M": [6, "n.d."]}, index=["15-24", "25-34"], dtype=object),
            {"15-24": "15–24 ans", "25-34": "25–34 ans"}, {"F": "Femmes", "M": "Hommes"}, "Âge", "fr"),
        "progress_heatmap": charts.progress_heatmap([[0.5, None]], ["R1"], ["Un résultat"], ["Mali", "Niger"],
                                                    [["50 %", "—"]], ((0.5, "#f00"), (1.0, "#0f0")), "#ddd",
                                                    "Progrès", "fr"),
    }


@pytest.mark.parametrize("name", sorted(_all_figures()))
def test_every_figure_passes_plotly_validation(name):
    validated = go.Figure(_all_figures()[name])  # raises ValueError on any unknown property or bad value
    assert validated.to_dict()["data"] and validated.layout.title.text


def test_validation_is_on_in_this_check():
    """The check above can fail: a misspelt property is refused by a validated Figure."""
    with pytest.raises(ValueError):
        go.Figure({"data": [{"type": "bar", "colour": "red"}], "layout": {}})


def test_drawn_values_by_hand():
    figs = _all_figures()
    lines = figs["budget_vs_spent"]
    # largest first = drawn at the top = last in a horizontal bar chart; NaN execution → no label
    assert list(lines["data"][0]["y"]) == ["Mali", "Burkina Faso"]
    assert list(lines["data"][1]["x"]) == [100.0, 900.0] and list(lines["data"][1]["text"]) == ["", "90\u00a0%"]  # French: "90 %"
    assert lines["layout"]["separators"] == ", " and lines["layout"]["height"] == 260 + 40
    assert lines["layout"]["title"]["text"] == "Budget et dépenses<br><sup>(EUR, au 24/10/2023)</sup>"
    curve = figs["spend_curve"]
    assert [t["name"] for t in curve["data"]] == ["Plan linéaire", "Dépenses cumulées", "Prévision au rythme actuel"]
    assert list(curve["data"][1]["y"]) == [8.0, 19.0]  # months without spending are not drawn
    assert curve["layout"]["shapes"][0]["x0"] == AS_OF and curve["layout"]["xaxis"]["tickformat"] == "%m/%Y"
    assert figs["cash"]["layout"]["xaxis"]["tickformat"] == "%b %Y"
    shares = figs["shares_bar"]
    assert {t["name"]: list(t["x"]) for t in shares["data"]} == {"Bilatéral": [0.2, 0.5], "Fondation": [0.3]}
    assert list(shares["layout"]["yaxis"]["categoryarray"]) == ["UE", "FdF", "AFD"]
    hhi = figs["hhi_trend"]
    assert list(hhi["data"][0]["text"]) == ["0,62", ""]  # French decimal comma; 0.625 rounds half to even
    assert [(s["y0"], s["y1"]) for s in hhi["layout"]["shapes"]] == [(0, 0.15), (0.15, 0.25), (0.25, 1.05)]
    timeline = figs["timeline"]
    # G2 has no start date: its bar starts at the signature; G1 ends within the cliff window: red
    assert timeline["data"][0]["x"][0] == dt.date(2023, 2, 1)
    assert timeline["data"][1]["line"]["color"] == charts.STATUS_COLOURS["red"]
    reach = figs["sessions_and_reach"]
    assert list(reach["data"][1]["y"]) == [12, None] and reach["layout"]["yaxis2"]["overlaying"] == "y"
    counts = figs["counts_bar"]["data"][0]
    assert list(counts["x"]) == [None, 7] and list(counts["text"]) == ["< 5", "7"]
    heat = figs["progress_heatmap"]["data"]
    # drawn with the countries as rows: Mali 50 %, Niger no figure (grey)
    assert heat[0]["z"] == [[None], [0]] and heat[1]["z"] == [[0.5], [None]]
    assert heat[1]["y"] == ["Mali", "Niger"] and heat[1]["x"] == ["R1"] and heat[1]["text"] == [["50 %"], ["—"]]


def test_hidden_cells_of_the_sex_age_chart_are_drawn_with_their_mark():
    """A small cell ("< 5") and a withheld one ("n.d.") are drawn hatched with the threshold's
    length (5), their mark written on the bar and in the hover; published cells keep their value."""
    women, men = _all_figures()["sex_age_bars_hidden"]["data"]
    # rows are drawn bottom-up: 25-34 first
    assert women["x"] == [12, 5] and women["text"] == ["", "< 5"] and women["customdata"] == ["12", "< 5"]
    assert men["x"] == [5, 6] and men["text"] == ["n.d.", ""] and men["customdata"] == ["n.d.", "6"]
    assert women["marker"]["pattern"]["shape"] == ["", "/"] and men["marker"]["pattern"]["shape"] == ["/", ""]


# --- issue #14: what users read ---------------------------------------------------------------

def test_the_years_of_the_funding_trend_read_in_order_with_none_left_out():
    """Traces come one per funder type (foundation first): its years 2023, 2024 came before the
    bilateral 2021 on a category axis ("2024, 2023, 2021"), and 2022, without a signature, was
    missing. Both charts now share the axis 2021, 2022, 2023, 2024."""
    per_type = pd.DataFrame({"year": [2021, 2023, 2024], "funder_type": ["public_bilateral", "foundation", "foundation"],
                             "amount_eur": [30.0, 10.0, 20.0]})
    hhi = pd.DataFrame({"year": [2021, 2022, 2023, 2024], "hhi": [1.0, 1.0, 0.625, 0.5]})
    bars, line = charts.trend(per_type, hhi, dt.date(2024, 6, 30), "fr", TYPES)
    assert [t["x"] for t in bars["data"]] == [[2023, 2024], [2021]]  # foundation first
    for fig in (bars, line):
        axis = go.Figure(fig).layout.xaxis
        # a year axis: one tick a year, from 2021 to 2024, 2022 included though nothing was signed
        assert axis.type == "linear" and axis.dtick == 1 and axis.tickformat == "d"
        assert list(axis.range) == [2020.5, 2024.5]


def test_the_spend_curve_title_promises_only_what_is_drawn():
    ended = _curve().assign(forecast=None)  # a programme over by the as-of date: no forecast line
    fig = charts.spend_curve(ended, AS_OF, "fr")
    assert [t["name"] for t in fig["data"]] == ["Plan linéaire", "Dépenses cumulées"]
    assert fig["layout"]["title"]["text"].startswith("Dépenses cumulées et plan linéaire<br>")
    assert "prévision" not in fig["layout"]["title"]["text"].lower()
    en = charts.spend_curve(ended, AS_OF, "en")["layout"]["title"]["text"]
    assert en.startswith("Cumulative spending and linear plan<br>") and "forecast" not in en
    drawn = charts.spend_curve(_curve(), AS_OF, "fr")  # with its forecast line, the title says so
    # (45 characters: wrapped onto two balanced lines, see test_long_titles_are_wrapped_for_a_phone)
    assert drawn["layout"]["title"]["text"].startswith("Dépenses cumulées, plan<br>linéaire et prévision<br>")


def test_the_cash_exposure_is_drawn_with_the_steps_of_its_two_lines():
    """Exposure = spent - received at each month end. Between two points the received line is a
    step ("hv") while the exposure was a straight segment: with spent flat at 30 and received
    stepping from 0 to 30 at the second point, the area sloped from 30 to 0 under two flat lines.
    All three are steps now: at every date the area is the gap between the lines."""
    curve = pd.DataFrame({"month_end": [dt.date(2023, 1, 31), dt.date(2023, 6, 30)], "spent": [30.0, 30.0],
                          "received": [0.0, 30.0], "exposure": [30.0, 0.0]})
    fig = charts.cash(curve, AS_OF, "fr")
    assert [t["line"].get("shape") for t in fig["data"]] == ["hv", "hv", "hv"]
    exposure, spent, received = ({m: v for m, v in zip(t["x"], t["y"])} for t in fig["data"])
    assert all(exposure[m] == spent[m] - received[m] for m in exposure)  # 30 - 0, 30 - 30


def test_bar_figures_are_readable_and_the_longest_is_not_cut():
    """Figures at the end of bars: 12 px, never shrunk to a thin bar (plotly's constraintext
    made them ~7 px), drawn outside the plot when needed; the axis ends 25 % beyond the longest
    bar so its figure ("141%") fits (it read "141…" at the chart's right edge)."""
    over = pd.DataFrame({"label": ["Mali", "Niger"], "amount_eur": [1000.0, 400.0], "spent_eur": [1410.0, 100.0],
                         "execution": [1.41, 0.25]})
    lines = charts.budget_vs_spent(over, "label", "Budget (EUR)", "fr")
    assert lines["layout"]["xaxis"]["range"] == [0, 1762.5]  # 1410 x 1.25
    assert lines["data"][1]["text"] == ["25\u00a0%", "141\u00a0%"]  # French: "141 %"
    figs = _all_figures()
    assert figs["counts_bar"]["layout"]["xaxis"]["range"] == [0, 8.75]  # 7 x 1.25; the suppressed count is ignored
    assert figs["shares_bar"]["layout"]["xaxis"]["range"] == [0, 0.625]  # 0.5 x 1.25
    with_text = [(name, t) for name in ("budget_vs_spent", "shares_bar", "counts_bar", "sessions_and_reach")
                 for t in figs[name]["data"] if t.get("text") is not None and t.get("type") == "bar"]
    assert len(with_text) == 5
    for name, trace in with_text:
        assert trace["textfont"]["size"] >= 12, name
        assert trace["constraintext"] == "none" and trace["cliponaxis"] is False, name


def test_funders_are_named_on_their_bars_with_the_code_in_the_hover():
    frame = pd.DataFrame({"label": ["Agence française de développement & <b>", "Fondation de France"],
                          "code": ["AFD", "FdF"], "share": [0.75, 0.25], "funder_type": ["public_bilateral", "foundation"]})
    fig = charts.shares_bar(frame, "label", "funder_type", "Parts", "fr", TYPES, hover_column="code", label_chars=22)
    # wrapped at 22 characters, escaped, never cut
    assert fig["layout"]["yaxis"]["categoryarray"] == ["Fondation de France",
                                                      "Agence française de<br>développement &amp; &lt;b&gt;"]
    bilateral = next(t for t in fig["data"] if t["name"] == "Bilatéral")
    assert bilateral["customdata"] == ["Code : AFD<br>75\u00a0%"] and "%{customdata}" in bilateral["hovertemplate"]
    go.Figure(fig)


def test_heatmap_labels_are_whole_wrapped_and_never_rotated():
    """Countries as rows, wrapped at 12 characters; results as columns by their codes; a
    result's whole title in the hover; tick labels horizontal."""
    fig = charts.progress_heatmap([[0.5, 1.0, None]], ["R1.1"], ["Une cartographie des principaux acteurs <i>"],
                                  ["Côte d'Ivoire", "Mali", "ensemble du programme"], [["50 %", "100 %", "—"]],
                                  ((1.0, "#000"),), "#ddd", "Progrès", "fr")
    heat = fig["data"][1]
    assert heat["y"] == ["Côte<br>d'Ivoire", "Mali", "ensemble du<br>programme"]
    assert heat["x"] == ["R1.1"] and heat["z"] == [[0.5], [1.0], [None]]
    assert heat["customdata"][0] == ["Une cartographie des principaux acteurs &lt;i&gt;"]
    assert fig["layout"]["xaxis"]["tickangle"] == 0
    assert heat["colorbar"]["orientation"] == "h"
    go.Figure(fig)


def test_legends_sit_below_the_axis_labels():
    """The legend is anchored to the figure's bottom edge (container), not at -0.18 of the plot,
    where a legend wrapped onto three lines covered the x axis's tick labels."""
    for name, fig in _all_figures().items():
        legend = go.Figure(fig).layout.legend
        assert legend.yref == "container" and legend.y == 0 and legend.yanchor == "bottom", name


# --- issue #14 item 9: one formatting path for charts, per language --------------------------------

NB, NNB = "\u00a0", "\u202f"  # babel's French spaces: before "%" and "€", between thousands


def test_share_ticks_are_written_by_fmt_percent():
    """At most 4 steps. A share axis up to 0.625 (0.5 x 1.25): steps of 0.1 would be 6.25 of them,
    of 0.2 3.1: 0 %, 20 %, 40 %, 60 %; up to 1: 0.2 gives 5 steps, 0.25 gives 4; up to 1.25 (a
    single funder, 100 % x 1.25): 0.25 gives 5, 0.5 gives 2.5: 0, 50, 100 %."""
    ticks = charts.percent_ticks(0.625, "fr")
    assert ticks["tickvals"] == [0, 0.2, 0.4, 0.6]
    assert ticks["ticktext"] == [f"0{NB}%", f"20{NB}%", f"40{NB}%", f"60{NB}%"]
    assert charts.percent_ticks(1, "en")["ticktext"] == ["0%", "25%", "50%", "75%", "100%"]
    assert charts.percent_ticks(1.25, "en")["ticktext"] == ["0%", "50%", "100%"]
    assert charts.percent_ticks(1, "en", count=5)["tickvals"] == [0, 0.2, 0.4, 0.6, 0.8, 1]
    assert charts.percent_ticks(0.2, "en")["tickvals"] == [0, 0.05, 0.1, 0.15, 0.2]


def test_hovers_read_as_the_cards_do():
    """Hovers carry the figures as the cards write them: money, percentages and dates."""
    figs = _all_figures()
    spent = figs["budget_vs_spent"]["data"][1]
    # Burkina Faso (drawn last): 900 of 1 000 spent, 90 %; Mali: 100, no rate
    assert spent["customdata"] == [f"100{NB}€", f"900{NB}€ (90{NB}% du budget)"]
    assert spent["hovertemplate"] == "%{y}<br>%{fullData.name} : %{customdata}<extra></extra>"
    assert figs["cash"]["data"][2]["customdata"] == ["€0", "€15", "€30", "€30"]  # English
    assert figs["cash"]["data"][2]["hovertemplate"] == "%{fullData.name}: %{customdata}<extra></extra>"
    shares = {t["name"]: t["customdata"] for t in figs["shares_bar"]["data"]}
    assert shares == {"Bilatéral": [f"20{NB}%", f"50{NB}%"], "Fondation": [f"30{NB}%"]}
    # G2 (drawn first) from its signature, 1 Feb 2023, to 31 Dec 2025
    assert figs["timeline"]["data"][0]["customdata"][0] == "1 févr. 2023 → 31 déc. 2025"
    assert figs["spend_curve"]["layout"]["xaxis"]["hoverformat"] == "%d/%m/%Y"  # 31/03/2023, as fmt_date "short"
    assert figs["cash"]["layout"]["xaxis"]["hoverformat"] == "%b %-d, %Y"  # Mar 31, 2023
    assert figs["hhi_trend"]["data"][0]["customdata"] == ["0,62", ""]
    big = charts.trend(pd.DataFrame({"year": [2023], "funder_type": ["foundation"], "amount_eur": [1234567.0]}),
                       pd.DataFrame({"year": [2023], "hhi": [1.0]}), AS_OF, "fr", TYPES)[0]
    assert big["data"][0]["customdata"] == [f"1{NNB}234{NNB}567{NB}€"]
    heat = figs["progress_heatmap"]["data"][1]["colorbar"]
    assert heat["ticktext"] == [f"{p}{NB}%" for p in (0, 20, 40, 60, 80, 100)] and "tickformat" not in heat


def test_long_titles_are_wrapped_for_a_phone():
    """A 390 px phone's chart is ~350 px wide: plotly cut "Part de chaque bailleur dans les
    financements signés" (52 characters) after "sign". Titles are wrapped at 42 characters, the
    smaller second part at 60, on lines of about the same length (52 characters on two lines: 26
    each, the first line that fits them is 28 long); the top margin and the height grow 20 px for
    each line beyond two."""
    title = "Part de chaque bailleur dans les financements signés (%, au 24 oct. 2023)"
    fig = charts.shares_bar(pd.DataFrame({"label": ["A"], "share": [1.0], "funder_type": ["foundation"]}),
                            "label", "funder_type", title, "fr", TYPES)
    assert fig["layout"]["title"]["text"] == ("Part de chaque bailleur dans<br>les financements signés<br>"
                                              "<sup>(%, au 24 oct. 2023)</sup>")
    assert fig["layout"]["margin"]["t"] == 90 and fig["layout"]["height"] == 240 + 40 + 20
    short = charts.shares_bar(pd.DataFrame({"label": ["A"], "share": [1.0], "funder_type": ["foundation"]}),
                              "label", "funder_type", "Parts (%)", "fr", TYPES)
    assert short["layout"]["title"]["text"] == "Parts<br><sup>(%)</sup>" and short["layout"]["margin"]["t"] == 70
    for fig in _all_figures().values():
        text = fig["layout"]["title"]["text"]
        for line in text.split("<br>"):
            plain = line.replace("<sup>", "").replace("</sup>", "")
            assert len(plain) <= (charts.TITLE_SUB_CHARS if line.startswith("<sup>") else charts.TITLE_CHARS), text


# What every chart of every page must satisfy, in French and in English.
_PLACEHOLDER = re.compile(r"%\{([^}:|]*)([:|][^}]*)?\}")
_BARE_PERCENT = re.compile(r"%(?![A-Za-z-])")  # a d3 number format's "%" (a time format's is a directive)
_ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d")
_POINT_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _axes(fig: dict) -> dict[str, dict]:
    axes = {k: v for k, v in fig["layout"].items() if re.match(r"^[xy]axis\d*$", k)}
    axes.update({f"colorbar {i}": t["colorbar"] for i, t in enumerate(fig["data"]) if "colorbar" in t})
    return axes


def chart_format_problems(fig: dict, lang: str) -> list[str]:
    """What in a figure would not read the language's way (empty: none)."""
    title = fig["layout"]["title"]["text"][:40]
    problems = []
    for name, axis in _axes(fig).items():
        for key in ("tickformat", "hoverformat"):
            fmt = axis.get(key) or ""
            if _BARE_PERCENT.search(fmt):
                problems.append(f"{title}: {name}.{key} {fmt!r}: plotly's percent format")
            if lang == "fr" and re.search(r"%-?[aAbB]", fmt):
                problems.append(f"{title}: {name}.{key} {fmt!r}: English day or month names")
        if axis.get("type") == "date" or re.search(r"%-?[mbBY]", axis.get("tickformat") or ""):
            if not axis.get("hoverformat"):
                problems.append(f"{title}: {name}: a date axis without hoverformat (plotly's English dates)")
    texts = _strings([a.get("ticktext") for a in _axes(fig).values()])
    texts += _strings([a.get("text") for a in fig["layout"].get("annotations") or []])
    for trace in fig["data"]:
        if trace.get("hoverinfo") not in ("skip", "none"):
            template = trace.get("hovertemplate")
            if not template:
                problems.append(f"{title}: {trace.get('name')}: plotly's own hover (its number and date formats)")
            for field, spec in _PLACEHOLDER.findall(template or ""):
                if spec:
                    problems.append(f"{title}: {template!r}: a plotly format in a hover")
                if field in ("x", "y"):
                    axis = fig["layout"].get(f"{field}axis{(trace.get(field + 'axis') or field)[1:]}") or {}
                    shown = [v for v in pagecharts.values(trace.get(field)) if v is not None]
                    if not (axis.get("hoverformat") == "d" or all(isinstance(v, str) and not _ISO_DATE.match(v)
                                                                  for v in shown)):
                        problems.append(f"{title}: {template!r}: %{{{field}}} is a number or a date")
        texts += _strings([trace.get(k) for k in ("text", "customdata", "hovertext")])
    for text in texts:
        if lang == "fr" and re.search(r"\d%", text):
            problems.append(f"{title}: {text!r}: no space before % in French")
        if lang == "fr" and _POINT_DECIMAL.search(text):
            problems.append(f"{title}: {text!r}: a decimal point in French")
        if lang == "en" and re.search(f"[{NB}{NNB}]%", text):
            problems.append(f"{title}: {text!r}: a French space before % in English")
    return problems


def test_the_checks_find_what_they_look_for():
    """The page check below fails on each defect it looks for (the figures of before this change)."""
    bad = {"layout": {"title": {"text": "T"}, "xaxis": {"tickformat": ".0%"},
                      "yaxis": {"type": "date", "tickformat": "%b %Y"}},
           "data": [{"type": "bar", "x": [0.5], "y": ["A"], "text": ["50%", "0.76"],
                     "hovertemplate": "%{y}<br>%{x:.0%}<extra></extra>"},
                    {"type": "scatter", "x": ["2023-03-31"], "y": [1.0], "hovertemplate": "%{x}"},
                    {"type": "scatter", "x": [1], "y": [2]}]}
    problems = chart_format_problems(bad, "fr")
    kinds = ["plotly's percent format", "English day or month names", "a date axis without hoverformat",
             "plotly's own hover", "a plotly format in a hover", "%{x} is a number or a date",
             "no space before %", "a decimal point in French"]
    assert [sum(k in p for p in problems) for k in kinds] == [1, 1, 1, 1, 1, 2, 1, 1], problems
    assert chart_format_problems({"layout": {"title": {"text": "T"}}, "data": [
        {"type": "bar", "x": [1], "y": ["A"], "text": [f"50{NB}%"], "hovertemplate": "%{y}"}]}, "en")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_chart_of_every_page_reads_the_language_way(tmp_path, monkeypatch, demo_workbooks, lang):
    """Every plotly figure of the budget, funding, training and progress pages of the demo, in
    French and in English: no plotly percent format (".0%" writes "87%" in French too), no
    plotly-formatted number or date in a hover (figures pre-formatted by i18n.fmt_*), no date hover
    with plotly's English month names; no "87%" nor "0.76" in French, no "87 %" in English."""
    database(tmp_path, monkeypatch, demo_workbooks[0])
    seen, problems = 0, []
    for page in ("budget", "funding", "training", "progress"):
        figs = pagecharts.figures(open_page(page, programme="PCRPM-C2", lang=lang))
        assert figs, page
        seen += len(figs)
        problems += [f"{page}: {p}" for fig in figs for p in chart_format_problems(fig, lang)]
        for fig in figs:  # plotly cuts a title line wider than the chart (TITLE_CHARS: a phone's width)
            for line in fig["layout"]["title"]["text"].split("<br>"):
                plain = re.sub(r"&\w+;", "x", line.replace("<sup>", "").replace("</sup>", ""))
                if len(plain) > (charts.TITLE_SUB_CHARS if line.startswith("<sup>") else charts.TITLE_CHARS):
                    problems.append(f"{page}: a title line too long for a phone: {line!r}")
    assert not problems, "\n".join(problems)
    assert seen >= 14, seen
