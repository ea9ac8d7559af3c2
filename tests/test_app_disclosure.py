"""The attacker's test of small-cell suppression (docs/METRICS.md, Precision 12): a funder opens
every page it has for a programme with a 2-person session in Mali and a 3-person and an 8-person
session in Senegal; everything the browser receives (every element proto: texts, metrics,
dataframes, plotly specs with their hovers, deck JSON) and every download is collected, and no
hidden count of people may be read there, nor recomputed from what is published (sums and
differences along the published tables, checked by an exhaustive search, and the ratios that
would give a count back). On SQLite and PostgreSQL.

The programme, worked out by hand (as of 31/12/2022, half of 2022-2023 elapsed):
- sessions A (Mali, 2 people, 2 h, training, theme "plaidoyer", March), B (Senegal, 3 people,
  3 h, workshop, "plaidoyer", April), C (Senegal, 8 people, 4 h, training, "gouvernance", May):
  13 attendances, 13 people (Mali 2, Senegal 11), participant-hours 2*2 + 3*3 + 8*4 = 45;
- sex x age band: F <25: 1 (A), F 25-34: 2 (B) + 4 (C) = 6; M 35-49: 4 (C), M not recorded: 1
  (A); sex not recorded, age not recorded: 1 (B); so F 7, M 5, not recorded 1;
- indicator IP (people trained, computed from participants, baseline 0), final targets Mali 40,
  Senegal 20 at 31/12/2023: Mali 2 (achievement 5 %, behind), Senegal 11 (55 %), roll-up 13 of
  60 (behind).
"""
from __future__ import annotations

import html

import datetime as dt
import io
import json
import re

import pandas as pd
import pytest
import streamlit as st

from tables import shown
from apptest import ADMIN, PASSWORD, database, open_page
from dashboard import auth, maps
from dashboard.db import upgrade
from dashboard.importer import import_workbook
from dashboard.ui import widgets
from disclosure_audit import pinned

D = dt.date
FUNDER = "bailleur@test.invalid"
AS_OF = "2022-12-31"
SMALL = "< 5"
ND = "n.d."


def scenario() -> dict:
    P = "SC"
    people = {  # participant -> (session, sex, age band)
        "p01": ("A", "F", "<25"), "p02": ("A", "M", None),
        "p03": ("B", "F", "25-34"), "p04": ("B", "F", "25-34"), "p05": ("B", None, None),
        **{f"p{i:02}": ("C", "F", "25-34") for i in (6, 7, 8, 9)},
        **{f"p{i:02}": ("C", "M", "35-49") for i in (10, 11, 12, 13)},
    }
    session = {"programme_code": P, "logframe_code": "A1"}
    return {
        "programmes": [{"code": P, "name": "Petits effectifs", "start_date": D(2022, 1, 1), "end_date": D(2023, 12, 31)}],
        "logframe": [
            {"programme_code": P, "code": "OG", "level": "goal", "title": "But"},
            {"programme_code": P, "code": "OS1", "level": "objective", "parent_code": "OG", "title": "Objectif"},
            {"programme_code": P, "code": "R1", "level": "result", "parent_code": "OS1", "title": "Résultat"},
            {"programme_code": P, "code": "A1", "level": "activity", "parent_code": "R1", "title": "Formations"},
        ],
        "indicators": [{"programme_code": P, "code": "IP", "logframe_code": "R1", "label": "Personnes formées",
                        "unit": "count", "computed_from": "participants"}],
        "targets": [
            {"programme_code": P, "indicator_code": "IP", "country_iso3": "MLI", "period_end": D(2023, 12, 31), "target": 40},
            {"programme_code": P, "indicator_code": "IP", "country_iso3": "SEN", "period_end": D(2023, 12, 31), "target": 20},
        ],
        "funders": [{"code": "AFD", "name": "Agence française de développement", "type": "public_bilateral"}],
        "grants": [{"code": "G1", "funder_code": "AFD", "programme_code": P, "status": "signed", "amount": 50000,
                    "currency": "EUR", "signed_date": D(2022, 1, 5), "end_date": D(2023, 12, 31)}],
        "budget_lines": [
            {"programme_code": P, "code": "L1", "country_iso3": "MLI", "category": "activities", "label": "Ateliers Mali",
             "amount": 20000, "currency": "EUR"},
            {"programme_code": P, "code": "L2", "country_iso3": "SEN", "category": "activities", "label": "Ateliers Sénégal",
             "amount": 30000, "currency": "EUR"},
        ],
        "expenditures": [
            {"programme_code": P, "reference": "E1", "budget_line_code": "L1", "date": D(2022, 3, 15), "amount": 8000,
             "currency": "EUR", "grant_code": "G1"},
            {"programme_code": P, "reference": "E2", "budget_line_code": "L2", "date": D(2022, 4, 15), "amount": 15000,
             "currency": "EUR", "grant_code": "G1"},
        ],
        "organisations": [{"code": "O1", "name": "Réseau Dakar", "country_iso3": "SEN", "type": "local_association",
                           "city": "Dakar"}],
        "sessions": [
            {**session, "code": "A", "title": "Atelier Bamako", "kind": "training", "country_iso3": "MLI",
             "city": "Bamako", "latitude": 12.6, "longitude": -8.0, "start_date": D(2022, 3, 10), "end_date": D(2022, 3, 10), "hours": 2,
             "theme": "plaidoyer"},
            {**session, "code": "B", "title": "Atelier Thiès", "kind": "workshop", "country_iso3": "SEN",
             "city": "Thiès", "latitude": 14.8, "longitude": -16.9, "start_date": D(2022, 4, 12), "end_date": D(2022, 4, 12), "hours": 3,
             "theme": "plaidoyer"},
            {**session, "code": "C", "title": "Formation Dakar", "kind": "training", "country_iso3": "SEN",
             "city": "Dakar", "latitude": 14.7, "longitude": -17.4, "start_date": D(2022, 5, 3), "end_date": D(2022, 5, 3), "hours": 4,
             "theme": "gouvernance"},
        ],
        "attendance": [{"session_code": s, "participant_key": key, "sex": sex, "age_band": age,
                        "organisation_code": "O1" if s == "C" else None}
                       for key, (s, sex, age) in people.items()],
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path, monkeypatch):
    if request.param == "sqlite":
        engine = database(tmp_path, monkeypatch, scenario())
    else:
        from conftest import PG_URL, _fresh_postgres

        engine = _fresh_postgres()
        upgrade(engine)
        report = import_workbook(engine, scenario())
        assert report.ok, report.render("en")
        auth.add_user(engine, ADMIN, "admin", PASSWORD)
        monkeypatch.setenv("DASHBOARD_DB_URL", PG_URL)
        st.cache_data.clear()
        st.cache_resource.clear()
    auth.add_user(engine, FUNDER, "funder", PASSWORD, funder="AFD")
    return engine


@pytest.fixture
def downloaded(monkeypatch):
    """Every table a page offers for download, as the CSV and Excel files a click writes."""
    files: dict[str, dict[str, pd.DataFrame]] = {}
    original = widgets.downloads

    def record(frame, name, lang, key, sheet=None, kinds=None):
        files[key] = {"csv": pd.read_csv(io.BytesIO(widgets.to_csv(frame, lang, kinds)), encoding="utf-8-sig",
                                         dtype=str, sep=";" if lang == "fr" else ","),
                      "xlsx": pd.read_excel(io.BytesIO(widgets.to_xlsx(frame, sheet or name, lang, kinds)), dtype=str)}
        original(frame, name, lang, key, sheet, kinds)

    monkeypatch.setattr(widgets, "downloads", record)
    return files


def received(at) -> dict:
    """Everything the page sent: every string of every element proto, the dataframes, the plotly
    specs and the deck JSON."""
    texts, frames, figures, decks = [], [], [], []

    def strings(message):
        for field, value in message.ListFields():
            repeated = hasattr(value, "__iter__") and not isinstance(value, (str, bytes)) \
                and not hasattr(value, "ListFields")
            items = list(value) if repeated else [value]
            for item in items:
                if isinstance(item, str):
                    texts.append(item)
                elif hasattr(item, "ListFields"):
                    strings(item)

    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        if node.type in ("dataframe", "table"):  # the values sent, and the texts drawn (a Styler's)
            frames.append(node.value)
            texts.extend(shown(node).astype(str).to_numpy().ravel().tolist())
            continue
        if node.type == "deck_gl_json_chart":  # the world's shapes: read as JSON, not as text
            decks.append(json.loads(proto.json))
            continue
        if node.type == "plotly_chart":  # its texts (titles, labels, hovers) as text, its numbers apart
            figures.append(json.loads(proto.spec))
            texts.extend(leaves(figures[-1]))
            continue
        strings(proto)
    return {"text": "\n".join(texts), "frames": frames, "figures": figures, "decks": decks}


def leaves(obj) -> list[str]:
    """Every string value in a JSON value."""
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in leaves(v)]
    if isinstance(obj, list):
        return [t for v in obj for t in leaves(v)]
    return [obj] if isinstance(obj, str) else []


def numbers(obj) -> list[float]:
    """Every number in a JSON value (plotly typed arrays decoded)."""
    from pagecharts import values

    if isinstance(obj, dict):
        if "bdata" in obj:
            return [float(v) for v in values(obj)]
        return [n for v in obj.values() for n in numbers(v)]
    if isinstance(obj, list):
        return [n for v in obj for n in numbers(v)]
    if isinstance(obj, bool) or obj is None:
        return []
    return [float(obj)] if isinstance(obj, (int, float)) else []


def figures(cells) -> list[str]:
    """Downloaded cells as text, numbers written without a trailing ".0"."""
    return [f"{float(v):g}" if re.fullmatch(r"-?\d+(\.\d+)?", str(v)) else v for v in cells]


def column(frames, name):
    found = [f[name].tolist() for f in frames if name in f.columns]
    assert len(found) == 1, [list(f.columns) for f in frames]
    return found[0]


def no_ratio_gives_a_count_back(got):
    """Mali's achievement 5 % (2 of 40), Senegal's 55 % (11 of 20) and the participant-hours 45
    (which, with the published hours, gives the hidden sessions back) appear nowhere."""
    for seen in ("5\u00a0%", "55\u00a0%", "45 ", "45\u00a0", "36"):
        assert not re.search(rf"(?<![\w.,-]){re.escape(seen)}", got["text"]), seen
    bubbles = [layer.get("data") for deck in got["decks"] for layer in deck["layers"] if layer["id"] == "sessions"]
    progress = [f["properties"] for deck in got["decks"] for layer in deck["layers"] if layer["id"] == "progress"
                for f in layer["data"]["features"]]
    for fig in got["figures"] + bubbles + progress:
        assert not {0.05, 0.55, 5.0 / 100 * 100, 55.0, 45.0, 36.0} & set(numbers(fig)) - {5.0}
    for frame in got["frames"]:
        for value in frame.astype(str).to_numpy().ravel():
            assert value not in ("0.05", "0.55", "5.0", "55.0", "45.0", "36.0", "5 %", "55 %")


def test_training_page(app, downloaded):
    at = open_page("training", as_user=FUNDER, programme="SC", as_of=AS_OF)
    got = received(at)
    shown = {m.label: m.value for m in at.metric}
    # the programme's total (published: Senegal is withheld instead) and what derives from hidden counts
    assert shown["Personnes distinctes"] == "13" and shown["Heures-participant"] == ND
    assert shown["Part de femmes"] == "—"  # F's total (6) goes with its small cells
    attendances = int(re.search(r"(\d+) présences", got["text"]).group(1))
    assert attendances == 13

    # sessions: the table, its download and the map carry "< 5", never 2 or 3
    participants = column(got["frames"], "Participants")
    assert participants == ["8", SMALL, SMALL]  # the table: latest first; the files: by date
    for kind in ("csv", "xlsx"):
        assert downloaded["sessions"][kind]["Participants"].tolist() == [SMALL, SMALL, "8"]
    bubbles = next(item for item in got["decks"][0]["layers"] if item["id"] == "sessions")["data"]
    assert [b["participants"] for b in bubbles] == [SMALL, SMALL, 8]
    assert {b["radius"] for b in bubbles[:2]} == {bubbles[0]["radius"]}  # drawn alike: the radius of 5
    assert pinned({"A": SMALL, "B": SMALL, "C": 8, "att": attendances}, [("att", ["A", "B", "C"])]) == {}

    # by country: Mali "< 5" and Senegal withheld, else 13 - 11 = 2
    by_country = next(f for f in got["figures"] if f["layout"]["title"]["text"].startswith("Personnes formées par pays"))
    bars = dict(zip(by_country["data"][0]["y"], by_country["data"][0]["text"]))
    assert bars == {"Mali": SMALL, "Sénégal": ND}
    # drawn in code order (bottom-up), not by their counts: Senegal above Mali would say it is larger
    assert by_country["data"][0]["y"] == ["Sénégal", "Mali"]
    assert not {2.0, 3.0, 11.0} & set(numbers(by_country["data"][0]["x"]))
    assert pinned({"MLI": SMALL, "SEN": ND, "T": 13}, [("T", ["MLI", "SEN"])]) == {}

    # hovers by kind and theme: no participant-hours of a hidden session (6 h with "< 5" gives 3 people)
    # plotly hover text is HTML (imported text is escaped for it: "&lt; 5" reads "< 5")
    hovers = [html.unescape(h) for f in got["figures"] for t in f["data"] for h in t.get("hovertext") or []]
    kind = {h.split(" : ")[0]: h for h in hovers if "heures-participant" in h}
    assert kind["Formation"] == f"Formation : {ND} personnes distinctes, {ND} heures-participant"
    assert kind["Atelier"] == f"Atelier : {SMALL} personnes distinctes, {ND} heures-participant"
    assert kind["plaidoyer"] == f"plaidoyer : 5 personnes distinctes, {ND} heures-participant"
    assert kind["gouvernance"] == "gouvernance : 8 personnes distinctes, 32 heures-participant"  # = 8 x 4 h

    # sex x age band: the small cells are drawn, as "< 5" (never dropped), with their complements
    sex_age = next(f for f in got["figures"] if f["layout"]["title"]["text"].startswith("Participants par tranche"))
    cells = {}
    for trace in sex_age["data"]:
        for band, x, label in zip(trace["y"], numbers(trace["x"]), trace.get("customdata") or [None] * 5):
            cells[(trace["name"], band)] = label if label in (SMALL, ND) else x
    assert cells[("Femmes", "Moins de 25 ans")] == SMALL and cells[("Femmes", "25 à 34 ans")] == ND
    assert cells[("Hommes", "Âge non renseigné")] == SMALL and cells[("Hommes", "35 à 49 ans")] == SMALL
    assert cells[("Sexe non renseigné", "Âge non renseigné")] == SMALL
    assert not any(isinstance(v, float) and 0 < v < 5 for v in cells.values())
    sexes = {name for name, _ in cells}
    relations = [("T", [("sex", s) for s in sexes])] + [(("sex", s), [k for k in cells if k[0] == s]) for s in sexes]
    audit = {**cells, **{("sex", s): "?" for s in sexes}, "T": 13}  # sex totals: not published (no share)
    assert pinned(audit, relations) == {}

    # people reached so far: 2 in March is hidden, then 5 and 13 (no difference of 1 to 4)
    month = next(f for f in got["figures"] if f["layout"]["title"]["text"].startswith("Sessions par mois"))
    assert month["data"][1]["y"] == [None, 5, 13]

    # reach against the targets: Mali "< 5", Senegal withheld (13 - 11), no achievement from them
    reach = next(f for f in got["frames"] if "Compte" in f.columns)
    assert reach["Réalisé"].tolist() == ["13", SMALL, ND]
    assert reach["Réalisation"].isna().tolist() == [False, True, True]
    for kind_ in ("csv", "xlsx"):
        assert figures(downloaded["reach"][kind_]["Réalisé"]) == ["13", SMALL, ND]
        assert downloaded["reach"][kind_]["Réalisation (%)"].isna().tolist() == [False, True, True]
    no_ratio_gives_a_count_back(got)


def test_training_page_of_one_country(app, downloaded):
    """Senegal alone: its 11 people are the programme's 13 minus Mali's 2, so its total is
    withheld and no breakdown adds up to it; its sessions show as in the programme's view."""
    at = open_page("training", as_user=FUNDER, programme="SC", as_of=AS_OF, countries="SEN")
    got = received(at)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Personnes distinctes"] == ND
    assert column(got["frames"], "Participants") == ["8", SMALL]  # latest first
    assert re.search(r"n\.d\. présences", got["text"])  # 11 - 8 would give session B's 3
    month = next(f for f in got["figures"] if f["layout"]["title"]["text"].startswith("Sessions par mois"))
    assert month["data"][1]["y"] == [None, None]
    assert not re.search(r"(?<![\w.,-])11(?![\w,])", got["text"])
    for fig in got["figures"]:
        assert 11.0 not in numbers(fig)


def test_progress_page(app, downloaded):
    at = open_page("progress", as_user=FUNDER, programme="SC", as_of=AS_OF)
    got = received(at)
    cards = {m.label: m.value for m in at.metric}
    assert cards["Mali"] == ND and cards["Sénégal"] == ND  # each averages a hidden row
    assert cards["Ensemble du programme"] == "22\u00a0%"  # the roll-up: 13 / 60, published
    captions = [c.value for c in at.caption]
    assert f"Personnes formées dans le pays : {SMALL}" in captions
    assert f"Personnes formées dans le pays : {ND}" in captions
    assert not any(re.search(r"Personnes formées dans le pays : (2|11)$", c) for c in captions)
    tree = next(f for f in got["frames"] if "Cadre logique" in f.columns)
    rows = tree[tree["Indicateur"] != ""]
    assert rows["Réalisé"].tolist() == ["13", SMALL, ND]
    assert rows["Réalisation"].isna().tolist() == [False, True, True] and rows["Rythme"].tolist()[1:] == ["—", "—"]
    for kind in ("csv", "xlsx"):
        report = downloaded["report"][kind]
        assert figures(report["Réalisé"]) == ["13", SMALL, ND]
        assert report["Réalisation (%)"].isna().tolist() == [False, True, True]
    assert pinned({"R": 13, "MLI": SMALL, "SEN": ND}, [("R", ["MLI", "SEN"])]) == {}
    heatmap = got["figures"][0]
    # countries as rows (the heatmap is drawn transposed: one result, three columns)
    assert heatmap["data"][1]["text"] == [[ND], [ND], ["22\u00a0%"]]
    assert [row[0] for row in heatmap["data"][1]["z"][:2]] == [None, None]
    # the choropleth: both countries withheld, so grey (no data), not the colour of their progress;
    # the world under them is a URL (outlines only, fetched once), no figure of its own
    (deck,) = got["decks"]
    world, countries = deck["layers"]
    assert world["data"] == maps.shapes_url() and world["getFillColor"] == maps.rgba(maps.BACKGROUND)
    assert {f["properties"]["iso3"]: (f["properties"]["fill"], f["properties"]["progress"])
            for f in countries["data"]["features"]} == {"MLI": (maps.rgba(maps.NO_DATA), None),
                                                         "SEN": (maps.rgba(maps.NO_DATA), None)}
    no_ratio_gives_a_count_back(got)


def test_overview_page(app, downloaded):
    at = open_page("overview", as_user=FUNDER, programme="SC", as_of=AS_OF)
    got = received(at)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Personnes formées"] == "13" and shown["Progrès du cadre logique"] == "22\u00a0%"
    grid = downloaded["grid"]
    for kind in ("csv", "xlsx"):
        cells = grid[kind].set_index("Pays")  # the file's words: country names, translated headers
        progress = "Progrès du cadre logique (%)"
        assert "Personnes formées" not in cells.columns  # the grid shows (and downloads) one figure: progress
        assert cells.loc["Mali", progress] == ND and cells.loc["Sénégal", progress] == ND
    behind = downloaded["alerts-behind"]
    for kind in ("csv", "xlsx"):
        assert figures(behind[kind]["Réalisé"]) == ["13", SMALL]  # roll-up, Mali ("Réalisé 2.0" before)
    no_ratio_gives_a_count_back(got)


def test_an_admin_still_sees_every_count(app, downloaded):
    at = open_page("training", as_user=ADMIN, programme="SC", as_of=AS_OF)
    got = received(at)
    assert column(got["frames"], "Participants") == [8, 3, 2]  # latest first
    bubbles = next(item for item in got["decks"][0]["layers"] if item["id"] == "sessions")["data"]
    assert [b["participants"] for b in bubbles] == [2, 3, 8]
    assert {m.label: m.value for m in at.metric}["Heures-participant"] == "45"
