"""Single sign-on: the provider's e-mail opens an account only when the provider verified it
(``email_verified`` true)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from apptest import APP, database
from dashboard import auth

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "secret", "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}


@pytest.fixture
def app(tmp_path, monkeypatch):
    engine = database(tmp_path, monkeypatch)
    auth.add_user(engine, "amina@forim.test", "conseil", None)  # single sign-on only
    return engine


def run_as(claims: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, **claims}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_verified_email_signs_in(app):
    at = run_as({"email": "amina@forim.test", "email_verified": True})
    assert at.title[0].value.startswith("Synthèse")


@pytest.mark.parametrize("claims", [
    {"email": "amina@forim.test", "email_verified": False},
    {"email": "amina@forim.test"},  # claim missing (some providers never send it)
    {"email": "amina@forim.test", "email_verified": "false"},
])
def test_an_unverified_email_is_refused(app, claims):
    at = run_as(claims)
    assert at.title[0].value == "Connexion"
    assert at.subheader[0].value == "Pas d'accès"
    assert at.warning[0].value.startswith("Votre fournisseur d'identité n'a pas confirmé l'adresse amina@forim.test")


@pytest.mark.parametrize("claims,expected", [
    ({"email": "a@b.org", "email_verified": True}, "a@b.org"),
    ({"email": "a@b.org", "email_verified": "true"}, "a@b.org"),
    ({"email": "a@b.org", "email_verified": "TRUE "}, "a@b.org"),
    ({"email": "a@b.org", "email_verified": False}, None),
    ({"email": "a@b.org", "email_verified": 1}, None),  # only a boolean true, or the string "true"
    ({"email": "a@b.org", "email_verified": "yes"}, None),
    ({"email": "a@b.org"}, None),
    ({"email_verified": True}, None),
])
def test_sso_email(claims, expected):
    assert auth.sso_email(claims) == expected
