"""The layout the product was specified with: page scripts in ``pages/``, made safe. Streamlit runs
the files of a ``pages/`` folder as pages of their own until a server's first ``st.navigation``
call; run that way (without the router), every page script stops before it reads anything."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from apptest import ADMIN, APP, database, open_page, sign_in_state
from dashboard.db import ROOT
from dashboard.ui.pages import PAGES, SIGNIN
from workbooks import good_workbook

REFUSAL = "Cette page s'ouvre depuis le tableau de bord, une fois connecté."


def test_the_page_scripts_live_in_pages_and_views_is_gone():
    assert not (ROOT / "views").exists()
    scripts = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    assert scripts == sorted({PAGES[k][0].split("/")[1] for k in PAGES} | {SIGNIN.split("/")[1]})
    for key, (script, *_rest, url_path) in PAGES.items():
        # a script named like its URL path would be served at that path around the router
        assert (ROOT / script).stem != url_path, key
        assert f'access.require_page("{key}")' in (ROOT / script).read_text()


@pytest.mark.parametrize("key", [*PAGES, "signin"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_page_script_run_without_the_router_shows_nothing_but_a_refusal(tmp_path, monkeypatch, key, signed_in):
    """As the first request of a fresh server runs it (no router): even with a valid session in
    the browser, nothing is read or drawn but the refusal."""
    database(tmp_path, monkeypatch, good_workbook())
    at = AppTest.from_file(str(ROOT / (SIGNIN if key == "signin" else PAGES[key][0])), default_timeout=60)
    at.query_params["programme"] = "P1"
    if signed_in:
        sign_in_state(at, ADMIN)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [i.value for i in at.info] == [REFUSAL]
    assert not at.metric and not at.dataframe and not at.title and not at.table and not at.error
    assert not at.get("plotly_chart") and not at.get("deck_gl_json_chart") and not at.get("download_button")


def test_the_root_opens_the_synthese_with_its_filters(tmp_path, monkeypatch):
    database(tmp_path, monkeypatch, good_workbook())
    at = open_page(None, programme="P1", as_of="2022-12-31")
    assert at.title[0].value.startswith("Synthèse")
    assert at.query_params["programme"] == "P1" and at.query_params["as_of"] == "2022-12-31"
