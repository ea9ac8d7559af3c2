"""The escaping helpers, against hand-written expected strings (their effect in a real browser is
checked by tests/test_e2e_browser.py::test_imported_names_are_text)."""
from __future__ import annotations

from dashboard.textsafe import JOINER as J
from dashboard.textsafe import filename, html, md


def test_md_escapes_every_markdown_construct():
    assert md("**RT** _i_") == r"\*\*RT\*\* \_i\_"
    assert md("![t](x.png)") == r"\!\[t\]\(x\.png\)"
    assert md('<a href="h">l</a>') == r'\<a href\=\"h\"\>l\<\/a\>'
    assert md("$x$ :red[r]") == "\\$x\\$ \\:" + J + "red\\[r\\]"
    assert md("# h\n\n- y") == r"\# h \- y"  # one line: no heading, no list


def test_md_breaks_bare_links():
    # GFM links bare URLs, www. names and e-mail addresses even when their punctuation is escaped
    assert md("http://e.x") == "http\\:" + J + "\\/\\/e\\.x"
    assert md("WWW.e.x") == "WWW" + J + "\\.e\\.x"
    assert md("a@b.x") == "a\\@" + J + "b\\.x"


def test_md_keeps_ordinary_names():
    assert md("Appui à l'insertion") == "Appui à l\\'insertion"  # rendered "Appui à l'insertion"
    assert md("Côte d'Ivoire") == "Côte d\\'Ivoire"
    assert md("Sénégal") == "Sénégal" and md(None) == ""


def test_html_escapes_plotly_markup():
    assert html('<a href="http://x">lien</a> <b>B</b>') == '&lt;a href="http://x"&gt;lien&lt;/a&gt; &lt;b&gt;B&lt;/b&gt;'
    assert html("Santé & co &amp;") == "Santé &amp; co &amp;amp;"
    assert html("Appui à l'insertion") == "Appui à l'insertion" and html(None) is None


def test_filename_keeps_a_plain_name():
    assert filename("PCRPM-C2") == "PCRPM-C2"
    assert filename("../a b/<c>") == "_a_b_c_"
    assert filename("Côte.2024") == "Côte.2024"


def test_chart_builders_escape_every_label_and_hover():
    import datetime as dt

    import pandas as pd
    import plotly.graph_objects as go

    from dashboard import charts

    a = '<a href="http://x">G</a>'
    e = '&lt;a href="http://x"&gt;G&lt;/a&gt;'
    grants = pd.DataFrame({"code": ["G1"], "label": [f"G1 · {a}"], "start_date": [dt.date(2022, 1, 1)],
                           "signed_date": [None], "end_date": [dt.date(2024, 1, 1)]})
    timeline = charts.timeline(grants, set(), dt.date(2023, 1, 1), "fr")
    assert timeline["data"][0]["y"] == [f"G1 · {e}"] * 2
    assert timeline["data"][0]["hovertemplate"] == "%{y}<br>%{customdata}<extra></extra>"  # no name in the template
    assert timeline["layout"]["yaxis"]["categoryarray"] == [f"G1 · {e}"]
    bars = charts.counts_bar([a, "Mali"], [3, None], ["3", "< 5"], "Thèmes <b>", "fr", hover=[f"{a} : 3", "Mali"])
    trace = bars["data"][0]
    assert trace["y"] == ["Mali", e] and trace["hovertext"] == ["Mali", f"{e} : 3"]
    assert trace["text"] == ["< 5", "3"]  # the app's own figures, drawn as text by plotly (no closing ">")
    assert bars["layout"]["yaxis"]["categoryarray"] == ["Mali", e]
    assert bars["layout"]["title"]["text"] == "Thèmes &lt;b&gt;"
    pipe = charts.pipeline(pd.DataFrame({"code": ["<b>P</b>"], "amount_eur": [1.0], "weighted_eur": [0.5]}), "fr")
    assert pipe["data"][0]["y"] == pipe["data"][1]["y"] == ["&lt;b&gt;P&lt;/b&gt;"]
    shares = charts.shares_bar(pd.DataFrame({"label": ["AFD & <i>"], "share": [1.0], "funder_type": ["other"]}),
                               "label", "funder_type", "Parts (EUR)", "fr", {"other": "Autre"})
    assert shares["data"][0]["y"] == ["AFD &amp; &lt;i&gt;"]
    assert shares["layout"]["title"]["text"] == "Parts<br><sup>(EUR)</sup>"  # the builder's own markup stays
    heat = charts.progress_heatmap([[0.5]], ["R1<b>"], ["<b>x</b>"], ["<i>SEN</i>"], [["50 %"]], ((1.0, "#000"),),
                                   "#ddd", "Progrès", "fr")
    assert heat["data"][1]["x"] == ["R1&lt;b&gt;"] and heat["data"][1]["y"] == ["&lt;i&gt;SEN&lt;/i&gt;"]
    assert heat["data"][1]["customdata"] == [["&lt;b&gt;x&lt;/b&gt;"]]
    for spec in (timeline, bars, pipe, shares, heat):
        go.Figure(spec)  # still valid plotly figures
