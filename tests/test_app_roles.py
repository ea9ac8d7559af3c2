"""Roles in the app: the pages each role has, what a funder can and cannot see, sign-in."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from apptest import APP, PASSWORD, database, metrics, open_page
from dashboard import auth
from dashboard.demo import build_demo
from dashboard.i18n import fmt_money, t
from dashboard.textsafe import md
from dashboard.ui.pages import PAGES

ALL_VIEWS = ("overview", "budget", "funding", "training", "progress", "packs", "data", "admin")


@pytest.fixture(scope="module")
def demo():
    return build_demo()


@pytest.fixture
def app(tmp_path, monkeypatch, demo):
    engine = database(tmp_path, monkeypatch, demo)
    auth.add_user(engine, "conseil@forim.test", "conseil", PASSWORD)
    auth.add_user(engine, "gestion@forim.test", "manager", PASSWORD, ["LT-PAIRS"], ["SEN", "MLI"])
    auth.add_user(engine, "ef@forim.test", "funder", PASSWORD, funder="EF")
    auth.add_user(engine, "fap@forim.test", "funder", PASSWORD, funder="FAP")
    return engine


def reachable(email: str, **query) -> set[str]:
    """The views ``email`` can switch to (AppTest refuses a page that is not registered)."""
    at = open_page(None, as_user=email, **query)
    found = set()
    for view in ALL_VIEWS:
        try:
            at.switch_page(PAGES[view][0])
        except Exception:  # noqa: BLE001 - not registered for this role
            continue
        found.add(view)
    return found


@pytest.mark.parametrize("email,views", [
    ("admin@test.invalid", {"overview", "budget", "funding", "training", "progress", "packs", "data", "admin"}),
    ("conseil@forim.test", {"overview", "budget", "funding", "training", "progress", "packs"}),
    ("gestion@forim.test", {"overview", "budget", "funding", "training", "progress", "packs", "data"}),
    ("ef@forim.test", {"overview", "training", "progress", "packs"}),
])
def test_each_role_has_its_pages_only(app, email, views):
    assert reachable(email) == views


def test_a_funder_typing_an_internal_page_url_gets_the_overview(app):
    at = AppTest.from_file(APP, default_timeout=60)
    from apptest import sign_in_state

    sign_in_state(at, "ef@forim.test")
    at.run()
    with pytest.raises(Exception):
        at.switch_page(PAGES["budget"][0])
    assert at.title[0].value.startswith("Synthèse")


def test_a_funder_sees_only_the_programmes_it_funds_and_no_other_funders_money(app):
    at = open_page(None, as_user="ef@forim.test")
    assert at.selectbox(key="programme").options == ["PCRPM-C2 — Concertation Régionale des Politiques Migratoires — Composante 2"]
    shown = metrics(at)
    assert "Couverture du budget" not in shown and "Trésorerie avancée" not in shown
    assert "Concentration des financements" not in shown
    assert "Exécution budgétaire" in shown and "Personnes formées" in shown
    page = " ".join(str(e.value) for e in at.markdown) + " ".join(str(d.value) for d in at.dataframe)
    for other in ("GRDR", "FORIM (valorisation", "Ministère de l'Europe"):
        assert other not in page
    # the URL cannot widen the scope
    hostile = open_page(None, as_user="fap@forim.test", programme="PCRPM-C2")
    assert hostile.selectbox(key="programme").value == "LT-PAIRS"


def test_a_manager_scoped_to_countries_sees_only_them(app):
    at = open_page("budget", as_user="gestion@forim.test", programme="LT-PAIRS", countries="TUN")
    assert at.multiselect(key="countries").options == ["Mali", "Sénégal"]
    lines = at.dataframe[0].value
    assert set(lines["Pays"]) <= {"Mali", "Sénégal"}  # TUN asked in the URL, not granted


def test_conseil_sees_the_whole_organisation(app):
    at = open_page("funding", as_user="conseil@forim.test", programme="LT-PAIRS")
    at.segmented_control(key="funding_scope").set_value("organisation").run()
    assert {"EF", "FAP", "UE-FAMI"} <= set(at.dataframe[0].value["Code"])


def test_the_sign_in_page_posts_its_form_and_shows_the_routes_answer(app):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert at.title[0].value == "Connexion"
    assert not at.table  # demo accounts are listed in demo mode only
    form = at.html[0].value
    assert '<form method="post" action="/auth/signin">' in form  # no data in it: labels of the catalogue
    assert 'name="email"' in form and 'name="password" type="password"' in form
    # the sign-in route comes back with a fixed error code
    at.query_params["auth_error"] = "bad_credentials"
    at.run()
    assert [e.value for e in at.error] == ["Adresse ou mot de passe incorrect."]
    at.query_params["auth_error"] = "wait"
    at.query_params["auth_wait"] = "8"
    at.run()
    assert [e.value for e in at.error] == ["Trop d'essais : réessayez dans 8 s."]


def test_an_open_tab_is_signed_out_when_its_session_ends(app):
    from apptest import sign_in_state

    at = AppTest.from_file(APP, default_timeout=60)
    token = sign_in_state(at, "conseil@forim.test")
    at.run()
    assert at.title[0].value.startswith("Synthèse")
    assert '<form method="post" action="/auth/signout">' in at.sidebar.html[0].value
    auth.set_password(app, "conseil@forim.test", "a brand new password")  # e.g. from the command line
    at.run()  # the next click
    assert at.title[0].value == "Connexion"
    assert auth.session_user(app, token) is None


def test_the_data_page_shows_the_audit_log(app):
    at = open_page("data", as_user="admin@test.invalid", programme="LT-PAIRS")
    assert at.tabs[0].label == "Importer un classeur"
    log = at.tabs[2].dataframe[0].value
    # newest first: the accounts created by the fixture, then the demo import
    # in the reader's words, not the log's keys (import, user_add)
    assert list(log["Action"])[-1] == "Import d'un classeur" and set(log["Action"]) == {"Import d'un classeur",
                                                                                      "Compte créé"}
    assert log["Qui"].iloc[-1] == "cli"


def test_figures_for_a_funder_match_kpis_for_what_it_may_see(app):
    from dashboard.kpis import compute_kpis
    from dashboard.i18n import fmt_percent

    with app.connect() as conn:
        k = compute_kpis(conn, "LT-PAIRS")
    at = open_page(None, as_user="fap@forim.test")
    shown = metrics(at)
    assert shown["Exécution budgétaire"] == fmt_percent(k["budget"]["execution"], "fr")
    assert shown["Personnes formées"] == str(k["training"]["participants"])
    assert fmt_money(k["budget"]["funding_signed"], "fr") not in " ".join(c.value for c in at.caption)


def test_a_password_reset_shows_the_password_set_verbatim(app, monkeypatch):
    """The new password is shown as code: in Markdown a pair of "_" (token_urlsafe draws them)
    became italics, and the administrator would have passed on another password."""
    monkeypatch.setattr(auth, "new_password", lambda: "ab_cd_ef-gh*ij*k")
    at = open_page("admin", as_user="admin@test.invalid")
    at.selectbox(key="edit_email").set_value("gestion@forim.test").run()
    at.button(key="reset").click().run()
    assert not at.exception
    [shown] = [c.value for c in at.code]
    assert shown == "ab_cd_ef-gh*ij*k"
    assert auth.authenticate(app, "gestion@forim.test", shown, False).key == "auth.ok"
    # the sentence names the account (its e-mail shown as written) and holds no password
    [warning] = [w.value for w in at.warning if "mot de passe" in w.value]
    assert warning == t("admin.new_password", "fr", email=md("gestion@forim.test")) and "ab_cd_ef" not in warning
