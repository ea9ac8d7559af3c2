"""End-to-end in Chromium, as people use the dashboard: sign in as each role, open every page the
role has, change the filters and check the figures against ``kpis``, switch to English, download a
table, and try hostile input (script in names, SQL in the URL, internal pages by URL)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest

from browser import OUTPUT, Server, exceptions, metrics, require_browser, settle, sign_in
from dashboard import auth
from dashboard.bootstrap import load_demo
from dashboard.db import make_engine
from dashboard.i18n import fmt_percent
from dashboard.importer import import_workbook
from dashboard.kpis import compute_kpis

PASSWORD = "browser test password"
ACCOUNTS = {
    "admin": ("admin@e2e.invalid", {}),
    "conseil": ("conseil@e2e.invalid", {}),
    "manager": ("gestion@e2e.invalid", {"programmes": ["PCRPM-C2"]}),
    "funder": ("bailleur@e2e.invalid", {"funder": "EF"}),
}
MENUS = {
    "admin": ["Synthèse", "Risque budgétaire", "Diversification des financements", "Formations et portée",
              "Progrès par pays", "Dossiers du Conseil", "Données", "Administration"],
    "conseil": ["Synthèse", "Risque budgétaire", "Diversification des financements", "Formations et portée",
                "Progrès par pays", "Dossiers du Conseil"],
    "manager": ["Synthèse", "Risque budgétaire", "Diversification des financements", "Formations et portée",
                "Progrès par pays", "Dossiers du Conseil", "Données"],
    "funder": ["Synthèse", "Formations et portée", "Progrès par pays", "Dossiers du Conseil"],
}
MARKUP = "<img src=x onerror=alert(1)>"
CRAFTED = ("Appui à l'insertion ![t](http://127.0.0.1:9/x.png) **RT** <a href=\"http://127.0.0.1:9/l\">lien</a> "
           "<b>B</b> _i_ $x$ :red[r] www.example.invalid")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'e2e.db'}"
    engine = make_engine(url)
    assert load_demo(engine).ok
    # hostile markup in names that pages show
    assert import_workbook(engine, {"funders": [{"code": "GRDR", "name": f"GRDR {MARKUP}", "type": "partner_cofinancing"}],
                                    "organisations": [{"code": "ORG-XSS", "name": f"Asso {MARKUP}",
                                                       "country_iso3": "SEN", "type": "ngo"}]}).ok
    for role, (email, scope) in ACCOUNTS.items():
        auth.add_user(engine, email, role, PASSWORD, **scope)
    # a programme whose editing grid has exactly one row, for the concurrent-edit test
    D = dt.date
    assert import_workbook(engine, {
        "programmes": [{"code": "ZZ-E2E-EDIT", "name": "Édition concurrente", "start_date": D(2024, 1, 1),
                        "end_date": D(2026, 12, 31)}],
        "logframe": [{"programme_code": "ZZ-E2E-EDIT", "code": "OG", "level": "goal", "title": "But"}],
        "indicators": [{"programme_code": "ZZ-E2E-EDIT", "code": "I1", "logframe_code": "OG", "label": "Ateliers",
                        "unit": "count"}],
        "measurements": [{"programme_code": "ZZ-E2E-EDIT", "indicator_code": "I1", "country_iso3": "SEN",
                          "period_end": D(2025, 6, 30), "value": 1}]}).ok
    for email in ("edit1@e2e.invalid", "edit2@e2e.invalid"):
        auth.add_user(engine, email, "manager", PASSWORD, programmes=["ZZ-E2E-EDIT"])
    # a programme whose name and session theme are Markdown and HTML (issue #11, part 4)
    assert import_workbook(engine, {
        "programmes": [{"code": "ZZ-E2E-MARKUP", "name": CRAFTED, "start_date": D(2024, 1, 1),
                        "end_date": D(2026, 12, 31)}],
        "logframe": [{"programme_code": "ZZ-E2E-MARKUP", "code": "OG", "level": "goal", "title": CRAFTED}],
        "sessions": [{"code": "ZZ-S1", "programme_code": "ZZ-E2E-MARKUP", "logframe_code": "OG", "title": CRAFTED,
                      "kind": "workshop", "country_iso3": "SEN", "start_date": D(2024, 3, 1),
                      "end_date": D(2024, 3, 1), "hours": 3, "theme": CRAFTED}],
        "attendance": [{"session_code": "ZZ-S1", "participant_key": "ZZ-P1", "sex": "F"}]}).ok
    server = Server(url, folder / "streamlit.log")
    yield server.url, engine
    server.stop()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        OUTPUT.mkdir(exist_ok=True)
        tab.screenshot(path=str(OUTPUT / f"{request.node.name}.png"), full_page=True)
    context.close()


def kpis(engine, programme, as_of=None, countries=None):
    with engine.connect() as conn:
        return compute_kpis(conn, programme, as_of, countries)


def menu(page) -> list[str]:
    # the link text starts with the material icon's ligature name: keep the label (last line)
    return [link.inner_text().strip().split("\n")[-1] for link in page.locator('[data-testid="stSidebarNavLink"]').all()]


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_each_role_signs_in_and_opens_every_page_it_has(app, page, role):
    base, _ = app
    sign_in(page, base, ACCOUNTS[role][0], PASSWORD)
    assert menu(page) == MENUS[role]
    for title in MENUS[role]:
        page.locator('[data-testid="stSidebarNavLink"]', has_text=title).first.click()
        settle(page)
        assert exceptions(page) == 0, title
    assert page.dialogs == []


def test_filters_change_the_figures_to_those_of_kpis(app, page):
    base, engine = app
    sign_in(page, base, ACCOUNTS["conseil"][0], PASSWORD)
    whole = kpis(engine, "PCRPM-C2", dt.date(2022, 12, 31))
    page.goto(f"{base}/?programme=PCRPM-C2&as_of=2022-12-31")
    settle(page)  # the root forwards to /synthese: wait for the page drawn there
    page.wait_for_selector('[data-testid="stMetric"]')
    assert metrics(page)["Exécution budgétaire"] == fmt_percent(whole["budget"]["execution"], "fr")
    # choose Senegal in the country filter, as a person would
    page.locator('[data-testid="stMultiSelect"]').click()
    page.keyboard.type("Sénégal")
    page.keyboard.press("Enter")
    settle(page)
    senegal = kpis(engine, "PCRPM-C2", dt.date(2022, 12, 31), ["SEN"])
    assert metrics(page)["Exécution budgétaire"] == fmt_percent(senegal["budget"]["execution"], "fr")
    assert "countries=SEN" in page.url
    # another programme
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="LT-PAIRS").first.click()
    settle(page)
    other = kpis(engine, "LT-PAIRS")
    assert metrics(page)["Exécution budgétaire"] == fmt_percent(other["budget"]["execution"], "fr")


def test_switch_to_english(app, page):
    base, _ = app
    sign_in(page, base, ACCOUNTS["conseil"][0], PASSWORD)
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    settle(page)
    assert "Budget execution" in metrics(page)
    assert "Overview" in menu(page)


def test_download_a_table_and_open_it(app, page):
    base, engine = app
    sign_in(page, base, ACCOUNTS["conseil"][0], PASSWORD)
    page.goto(f"{base}/budget?programme=PCRPM-C2&as_of=2022-12-31")
    settle(page)
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"] button', has_text="CSV").first.click()
    # a French page's CSV: ";" between fields (French Excel), amounts in whole euros as on the page
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8-sig").read()), delimiter=";"))
    lines = kpis(engine, "PCRPM-C2", dt.date(2022, 12, 31))["budget"]
    assert sum(int(r["Budget (EUR)"]) for r in rows) == pytest.approx(lines["budget"], abs=0.5 * len(rows))


def test_a_funder_typing_an_internal_url_lands_on_the_overview(app, page):
    base, _ = app
    sign_in(page, base, ACCOUNTS["funder"][0], PASSWORD)
    for path in ("/budget", "/financements", "/donnees", "/administration"):
        page.goto(base + path)
        settle(page)
        assert page.locator("h1").first.inner_text().startswith("Synthèse"), path
        assert "Couverture du budget" not in metrics(page)


def test_markup_in_names_is_shown_as_text_and_never_runs(app, page):
    base, _ = app
    sign_in(page, base, ACCOUNTS["conseil"][0], PASSWORD)
    page.goto(f"{base}/financements?programme=PCRPM-C2")
    settle(page)
    page.wait_for_timeout(1000)
    assert page.dialogs == []
    assert page.locator("img[src='x']").count() == 0
    # the name is shown literally, e.g. in the grant timeline's labels (SVG text; tables draw on a
    # canvas, their text is not in the DOM)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator("svg text", has_text=f"GRDR {MARKUP}").count() >= 1
    assert page.dialogs == [] and page.locator("img[src='x']").count() == 0


def test_imported_names_are_text(app, page):
    """A programme name with Markdown and HTML shows literally on the line under the page title, and
    nothing in it becomes an image, a link or a request; a session theme with markup is literal
    text in its chart."""
    base, _ = app
    outside = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1:9/" in r.url or ".invalid" in r.url else None)
    sign_in(page, base, ACCOUNTS["conseil"][0], PASSWORD)
    page.goto(f"{base}/?programme=ZZ-E2E-MARKUP")
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Synthèse"
    main = page.locator('[data-testid="stMain"]')
    named = main.locator('[data-testid="stCaptionContainer"]').first.inner_text().strip()
    # the word joiners that keep bare links from being linked are invisible
    assert named.replace("\u2060", "") == f"ZZ-E2E-MARKUP — {CRAFTED}"
    assert main.locator("img").count() == 0
    assert [h for h in (a.get_attribute("href") for a in main.locator("a[href]").all()) if not h.startswith("#")] == []
    assert page.locator("h1").first.locator("strong, em, b, i, del, code, a[href^=http], .katex").count() == 0
    # the only formatted text of the page is the app's own (the programme's code in bold)
    assert main.locator("strong, em, b, i, del, code, .katex").all_inner_texts() == ["ZZ-E2E-MARKUP",
                                                                                   "État des indicateurs"]
    page.goto(f"{base}/formations?programme=ZZ-E2E-MARKUP")
    settle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator("h1").first.inner_text().strip() == "Formations et portée"
    theme = page.locator(".js-plotly-plot").filter(has_text="Sessions par thème")
    # plotly shortens long tick labels: the drawn label's start, character for character
    assert theme.locator("g.ytick text").first.text_content().startswith("Appui à l'insertion ![t](http://127.0.0.1:9/x")
    assert page.locator(".js-plotly-plot a").count() == 0 and page.locator(".js-plotly-plot text b").count() == 0
    page.wait_for_timeout(500)
    assert outside == [] and page.dialogs == [] and exceptions(page) == 0


def test_sql_in_url_parameters_changes_nothing(app, page):
    base, engine = app
    sign_in(page, base, ACCOUNTS["conseil"][0], PASSWORD)
    page.goto(f"{base}/?programme=PCRPM-C2' OR 1=1--&countries=SEN' OR '1'='1&as_of=2022-12-31;DROP TABLE users")
    settle(page)
    assert exceptions(page) == 0
    # every hostile value is ignored: the first programme (LT-PAIRS), all countries, default date
    figures = kpis(engine, "LT-PAIRS")
    assert metrics(page)["Exécution budgétaire"] == fmt_percent(figures["budget"]["execution"], "fr")
    assert "programme=LT-PAIRS" in page.url and "countries" not in page.url
    with engine.connect() as conn:  # and nothing was dropped
        # load_demo outside a first start creates no demo account
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM users").scalar() == len(ACCOUNTS) + 2


def _open_editor(page, base):
    page.goto(f"{base}/donnees?programme=ZZ-E2E-EDIT")
    settle(page)
    page.get_by_role("tab", name="Saisir des valeurs").click()
    settle(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    page.wait_for_timeout(1500)  # the canvas grid becomes interactive a moment after it is drawn
    return grid


def _type_in_first_value_cell(page, grid, value: str):
    """Double-click the first row's "value" cell (the grid draws on a canvas: columns have fixed
    widths in pages/data.py, 180 + 130 px before the 110 px value column; the header and the rows
    are 35 px high) and type."""
    box = grid.bounding_box()
    page.mouse.dblclick(box["x"] + 180 + 130 + 55, box["y"] + 35 + 12)
    page.wait_for_timeout(300)
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)


def _edit_and_save(page, grid, value: str, expected: str) -> None:
    """Type ``value`` in the first value cell and save, until ``expected`` shows (a double-click
    that lands while the grid redraws is lost: the page then says there is nothing to save)."""
    for _ in range(3):
        _type_in_first_value_cell(page, grid, value)
        page.get_by_role("button", name="Enregistrer").click()
        settle(page)
        if page.get_by_text(expected).count():
            return
        page.wait_for_timeout(500)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "stale_edit.png"), full_page=True)
    raise AssertionError(f"never saw {expected!r}")


@pytest.mark.skipif(os.environ.get("DASHBOARD_E2E_EDIT") != "1", reason=(
    "opt-in (DASHBOARD_E2E_EDIT=1): the editing grid draws on a canvas, and a double-click placed by "
    "coordinates sometimes lands on the add-row line; the same refusal is tested without a browser in "
    "tests/test_editing.py"))
def test_a_second_managers_stale_edit_is_refused_and_both_attempts_are_logged(app, browser):
    base, engine = app
    first, second = (browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2))
    try:
        a, b = first.new_page(), second.new_page()
        sign_in(a, base, "edit1@e2e.invalid", PASSWORD)
        sign_in(b, base, "edit2@e2e.invalid", PASSWORD)
        grid_a, grid_b = _open_editor(a, base), _open_editor(b, base)  # both read version 1
        _edit_and_save(a, grid_a, "7", "Enregistré et consigné dans le journal.")
        _edit_and_save(b, grid_b, "8", "Enregistrement refusé")  # and the other person's value is shown
        with engine.connect() as conn:
            actions = [r[0] for r in conn.exec_driver_sql(
                "SELECT action FROM audit_log WHERE action IN ('edit', 'edit_refused') ORDER BY id")]
            value = conn.exec_driver_sql(
                "SELECT value, version FROM measurements WHERE programme_code = 'ZZ-E2E-EDIT'").all()
        assert actions == ["edit", "edit_refused"]
        assert [tuple(v) for v in value] == [(7.0, 2)]  # the first save stands, nothing lost
    finally:
        first.close()
        second.close()


def _upload(page, base, name: str, text: str) -> str:
    """Drop one CSV sheet on the Data page's uploader; the page text after the dry run."""
    page.goto(f"{base}/donnees?programme=PCRPM-C2")
    settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    # the upload request comes before the rerun: wait for the dry run's verdict, then for the rerun's end
    page.get_by_text("Classeur valide").or_(page.get_by_text("Classeur refusé")).first.wait_for(timeout=30_000)
    settle(page)
    return page.locator('[data-testid="stMain"]').inner_text()


def test_the_data_page_dry_run_shows_shared_rate_changes_and_out_of_scope_rows(app, page):
    base, engine = app
    before = _tnd_rate(engine)
    sign_in(page, base, ACCOUNTS["admin"][0], PASSWORD)
    text = _upload(page, base, "fx_rates.csv", "currency,month,per_eur\nTND,2022-01,3\n")
    assert "Les taux de change sont communs à tous les programmes" in text
    assert "TND 2022-01 : 3,2693 → 3" in text  # the demo's rate, the workbook's
    assert "Programmes dont les montants en euros changent : PCRPM-C2" in text
    page.context.clear_cookies()
    sign_in(page, base, ACCOUNTS["manager"][0], PASSWORD)  # PCRPM-C2 only
    # another programme's session, retitled: refused, as one error (the summary line of the sheet)
    text = _upload(page, base, "sessions.csv",
                   "code,programme_code,logframe_code,title,kind,country_iso3,start_date,end_date,hours\n"
                   "LT-TUN-001,LT-PAIRS,A1.1.1,Atelier,workshop,TUN,2024-06-25,2024-06-26,12\n")
    assert "Classeur refusé : 1 erreur(s), rien n'a été écrit" in text
    assert exceptions(page) == 0
    assert _tnd_rate(engine) == before == 3.2693  # dry runs only


def _tnd_rate(engine) -> float:
    with engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT per_eur FROM fx_rates WHERE currency = 'TND' AND month = '2022-01'").scalar()
