"""Imported names are shown as text on every page (issue #11, part 4): a programme, its funder,
grants, logframe, indicators, budget lines, organisation and session imported with Markdown and
HTML in their names. Per channel:

- Streamlit elements that render Markdown (titles, captions, alerts, metric and widget labels,
  segmented-control options): the body holds the escaped form, so it renders literally (what
  the escaped form looks like in Chromium: tests/test_e2e_browser.py);
- plotly figures: no raw tag, the names as HTML entities;
- text-only channels (dataframe cells, selectbox options, pydeck "text" tooltips): the name as
  imported, with no backslash or entity added.

Run on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import re

import pytest
import pyarrow as pa
import streamlit as st

from apptest import ADMIN, PASSWORD, open_page
from dashboard import auth
from dashboard.importer import import_workbook
from dashboard.textsafe import JOINER as J
from dashboard.textsafe import md
from pagecharts import decks, figures, table
from workbooks import good_workbook

HOSTILE = '![t](http://127.0.0.1:9/x.png) **RT** <a href="http://x">lien</a> <b>B</b> _i_ $x$ :red[r]'
#: HOSTILE as Markdown text, escaped by hand: a backslash before each ASCII punctuation character,
#: a word joiner after each ':' (no bare link, no directive, no emoji).
ESCAPED = ("\\!\\[t\\]\\(http\\:" + J + "\\/\\/127\\.0\\.0\\.1\\:" + J + "9\\/x\\.png\\) \\*\\*RT\\*\\* "
           "\\<a href\\=\\\"http\\:" + J + "\\/\\/x\\\"\\>lien\\<\\/a\\> \\<b\\>B\\<\\/b\\> \\_i\\_ \\$x\\$ "
           "\\:" + J + "red\\[r\\]")
CODE = "P_**1**<i>"
CODE_MD = "P\\_\\*\\*1\\*\\*\\<i\\>"
FUNDER = 'AFD<a href="http://x">'
GRANT = "<b>G2</b>"
RESULT = "<i>R1</i>"
#: Markup that must not reach a Markdown body unescaped (not preceded by a backslash).
RAW_MARKDOWN = re.compile(r"(?<!\\)(\*\*RT|\*\*1|!\[t|<a |<b>|<i>|_i|\$x|:red\[|\[r\]|http:)")
#: Raw tags that must not reach a plotly figure (its own markup is <br>, <sup> and <extra>).
RAW_TAGS = ("<a", "<b>", "<i>", "<img")


def hostile_workbook() -> dict[str, list[dict]]:
    """The small valid programme of tests/workbooks.py with markup in every free-text column and
    in the codes that pages show (programme, funder, grant, result)."""
    wb = good_workbook()
    wb["programmes"][0].update(code=CODE, name=HOSTILE, lead_organisation=HOSTILE, description=HOSTILE)
    for sheet in ("logframe", "indicators", "targets", "measurements", "budget_lines", "expenditures", "sessions"):
        for row in wb[sheet]:
            row["programme_code"] = CODE
    wb["grants"][0]["programme_code"] = CODE
    for row in wb["logframe"]:
        row.update(title=f"{row['title']} {HOSTILE}", description=HOSTILE)
        if row["code"] == "R1":
            row["code"] = RESULT
        if row.get("parent_code") == "R1":
            row["parent_code"] = RESULT
    for row in wb["indicators"]:
        row.update(label=f"{row['label']} {HOSTILE}", logframe_code=RESULT)
    wb["measurements"][0].update(source=HOSTILE, comment=HOSTILE)
    wb["funders"][0].update(code=FUNDER, name=HOSTILE)
    wb["grants"][0]["funder_code"] = FUNDER
    wb["grants"].append({"code": GRANT, "funder_code": FUNDER, "programme_code": CODE, "status": "prospect",
                         "amount": 1000, "currency": "EUR"})
    wb["budget_lines"][0]["label"] = HOSTILE
    wb["expenditures"][0]["description"] = HOSTILE
    wb["organisations"][0].update(name=HOSTILE, city=HOSTILE)
    wb["sessions"][0].update(title=HOSTILE, theme=HOSTILE, city=HOSTILE)
    return wb


@pytest.fixture
def app(engine, monkeypatch):
    """The hostile programme in ``engine`` (SQLite or PostgreSQL), used by the app."""
    report = import_workbook(engine, hostile_workbook())
    assert report.ok, report.render("en")
    auth.add_user(engine, ADMIN, "admin", PASSWORD)
    monkeypatch.setenv("DASHBOARD_DB_URL", engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield engine
    st.cache_resource.clear()  # the app's engine on this database


def markdown_bodies(at) -> list[str]:
    """Every text of the page that Streamlit renders as Markdown."""
    bodies = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                                   "error", "success") for e in getattr(at, kind)]
    bodies += [m.proto.label for m in at.metric]
    for kind in ("selectbox", "multiselect", "checkbox", "date_input", "segmented_control", "button",
                 "download_button", "text_input"):
        bodies += [w.proto.label for w in getattr(at, kind)]
    bodies += [o.content for s in at.segmented_control for o in s.proto.options]
    bodies += [tab.proto.label for tab in at.tabs] + [x.proto.label for x in at.expander]
    return bodies


def assert_markdown_is_text(at) -> list[str]:
    bodies = markdown_bodies(at)
    for body in bodies:
        assert not RAW_MARKDOWN.search(body), body
    return bodies


def assert_figures_are_text(at) -> str:
    specs = [json.dumps(f, ensure_ascii=False) for f in figures(at)]
    assert specs
    for spec in specs:
        for raw in RAW_TAGS:
            assert raw not in spec, (raw, spec[:300])
    return "\n".join(specs)


ENTITIES = "&lt;a href=\\\"http://x\\\"&gt;lien&lt;/a&gt; &lt;b&gt;B&lt;/b&gt;"  # as in plotly's JSON


def test_overview(app):
    at = open_page("overview", programme=CODE)
    assert_markdown_is_text(at)
    assert at.title[0].value == "Synthèse"  # the programme on the line beneath (short titles on phones)
    assert at.caption[0].value == f"**{CODE_MD}** — {ESCAPED}"
    # text-only channels show the name as imported
    assert at.selectbox(key="programme").options == [f"{CODE} — {HOSTILE}"]
    alert = table(at, "Dépassement (EUR)")
    assert list(alert["Libellé"]) == [HOSTILE]  # the overspent line (L1), a plain dataframe cell
    # the programmes x countries grid: codes as column headers (plain text), with the default date
    grids = [d.value for d in at.dataframe if any(str(c).startswith(CODE) for c in d.value.columns)]
    assert [list(g.columns) for g in grids] == [[f"{CODE} (au 30 juin 2022)"]]


@pytest.fixture
def file_names(monkeypatch):
    """The names the pages give their download files (written on click, so not in the page)."""
    from dashboard.ui import widgets

    names, original = [], widgets.downloads
    monkeypatch.setattr(widgets, "downloads", lambda frame, name, lang, key, **kw: (
        names.append(name), original(frame, name, lang, key, **kw)))
    return names


def test_budget(app, file_names):
    at = open_page("budget", programme=CODE)
    # "P_**1**<i>": each run of other characters than letters, digits, "_", "-" and "." becomes "_"
    assert file_names[-1] == "lignes_budgetaires_P__1_i__2022-06-30"  # (the overview drew first)
    assert_markdown_is_text(at)
    assert at.title[0].value == "Risque budgétaire" and at.caption[0].value.startswith(f"**{CODE_MD}** — ")
    assert HOSTILE in list(table(at, "Libellé")["Libellé"])
    assert_figures_are_text(at)


def test_funding(app):
    at = open_page("funding", programme=CODE)
    bodies = assert_markdown_is_text(at)
    assert "Ce programme (" + CODE_MD + ")" in bodies  # a segmented-control option (Markdown)
    assert ESCAPED + " · " in " ".join(c.value for c in at.caption)  # the top funder's name under its share
    specs = assert_figures_are_text(at)
    assert "AFD&lt;a href=\\\"http://x\\\"&gt;" in specs  # the funder code, a bar label
    assert "&lt;b&gt;G2&lt;/b&gt;" in specs  # the prospect's code, a pipeline bar
    timeline = [f for f in figures(at) if f["layout"]["title"]["text"].startswith("Conventions signées")][0]
    label = "G1 · " + HOSTILE.replace("<", "&lt;").replace(">", "&gt;")
    assert timeline["data"][0]["y"] == [label, label]
    assert timeline["data"][0]["hovertemplate"] == "%{y}<br>%{customdata}<extra></extra>"
    assert at.selectbox(key="stress_funder").format_func(FUNDER).startswith(f"{HOSTILE} ({FUNDER})")
    shares = table(at, "Part")
    assert list(shares["Code"]) == [FUNDER] and list(shares["Bailleur"]) == [HOSTILE]


def test_training(app):
    at = open_page("training", programme=CODE)
    assert_markdown_is_text(at)
    assert at.title[0].value == "Formations et portée" and at.caption[0].value.startswith(f"**{CODE_MD}** — ")
    specs = assert_figures_are_text(at)
    by_theme = [f for f in figures(at) if f["layout"]["title"]["text"].startswith("Sessions par thème")][0]
    escaped = HOSTILE.replace("<", "&lt;").replace(">", "&gt;")
    assert by_theme["data"][0]["y"] == [escaped]
    assert by_theme["data"][0]["hovertext"] == [f"{escaped} : 2 personnes distinctes, 24 heures-participant"]
    assert ENTITIES.replace('\\"', '"') in by_theme["data"][0]["y"][0] and ENTITIES in specs
    # the deck's tooltip is "text": the browser sets innerText, so the data stays as imported
    deck = decks(at)[0]
    assert json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip) == {"text": "{tooltip}"}
    bubble = [layer for layer in deck["layers"] if layer["id"] == "sessions"][0]["data"][0]
    assert bubble["tooltip"] == (f"1 avr. 2022 · {HOSTILE}\n{HOSTILE}, Sénégal\n2 participants")
    sessions = table(at, "Thème")
    assert list(sessions["Intitulé"]) == [HOSTILE] and list(sessions["Lieu"]) == [HOSTILE]


def test_progress(app, file_names):
    at = open_page("progress", programme=CODE)
    assert file_names[-1] == "progres_P__1_i__tous_2022-06-30"
    assert_markdown_is_text(at)
    assert at.title[0].value == "Progrès par pays" and at.caption[0].value.startswith(f"**{CODE_MD}** — ")
    assert_figures_are_text(at)
    heat = [f for f in figures(at) if f["layout"]["title"]["text"].startswith("Progrès par résultat")][0]
    # the result's code on its column, its whole title in the hover, escaped; the page lists the
    # titles under the chart as Markdown-escaped text (assert_markdown_is_text above)
    assert heat["data"][1]["x"][0] == "&lt;i&gt;R1&lt;/i&gt;"
    assert heat["data"][1]["customdata"][0][0].startswith("Résultat ![t](http://127.0.0.1:9/x.png) **RT** &lt;a")
    tree = table(at, "Cadre logique")
    assert any(HOSTILE in cell for cell in tree["Cadre logique"])  # the cells' values as imported
    # drawn by st.table, whose cells render Markdown: the texts it draws are escaped
    node = next(tb for tb in at.table if "Cadre logique" in tb.value.columns)
    drawn = pa.ipc.open_stream(node.proto.arrow_data.styler.display_values).read_all().to_pandas()
    assert any(md(HOSTILE) in cell for cell in drawn["Cadre logique"])
    assert not any(HOSTILE in cell for cell in drawn["Cadre logique"])


def test_data_page_checkbox_label(app):
    at = open_page("data", programme=CODE)
    assert_markdown_is_text(at)
    assert at.checkbox(key="replace").label == f"Remplacer toutes les données du programme {CODE_MD} par ce classeur"


def test_the_explanations_box_uses_a_bundled_icon_not_an_emoji(app):
    """An emoji needs an emoji font, missing on many machines (it printed as a blank box in Chromium
    here): the explanations box takes a Material icon, which ships with Streamlit."""
    at = open_page("budget", programme=CODE)
    boxes = [x.proto for x in at.expander if x.proto.label.startswith("Explications des écarts")]
    assert boxes and all(b.icon == ":material/forum:" for b in boxes)
    texts = [b.label for b in boxes] + [c.value for c in at.caption]
    assert not [s for s in texts if any(ord(ch) > 0xFFFF for ch in s)]
