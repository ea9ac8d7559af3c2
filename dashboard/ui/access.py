"""Who is looking: the signed-in user's scope, recomputed on the server at every run.

The router calls :func:`current_scope` first; pages and the data layer read the scope from
``st.session_state["scope"]``, which only the router writes. Nothing the browser sends can set it:
widget values and query parameters live under other keys, and the session cookie is an HMAC-signed
token checked here (it survives a page reload or a shared link, expires after 8 hours, and dies
with a password change).
"""
from __future__ import annotations

import os
import secrets as _secrets

import streamlit as st
import streamlit.components.v1 as components

from .. import auth
from ..db import ROOT
from . import data

COOKIE = "dashboard_session"
SECRET_FILE = ROOT / "data" / ".session_secret"


def sso_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OIDC through st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


@st.cache_resource(show_spinner=False)
def _secret() -> str:
    """The key that signs session cookies: DASHBOARD_SECRET, else [auth] cookie_secret, else a
    random key kept in data/.session_secret (git-ignored), created on first use."""
    if os.environ.get("DASHBOARD_SECRET"):
        return os.environ["DASHBOARD_SECRET"]
    if sso_configured() and st.secrets["auth"].get("cookie_secret"):
        return st.secrets["auth"]["cookie_secret"]
    if not SECRET_FILE.exists():
        SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        SECRET_FILE.write_text(_secrets.token_hex(32))
        SECRET_FILE.chmod(0o600)
    return SECRET_FILE.read_text().strip()


def _cookie_user() -> int | None:
    if st.session_state.get("signed_out"):  # this connection still carries the old cookie
        return None
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser context (tests, bare mode)
        return None
    return auth.verify_token(data.engine(), token, _secret()) if token else None


def current_scope() -> auth.Scope | None:
    """The signed-in user's scope, or None (sign-in needed). A disabled account is signed out."""
    user_id = st.session_state.get("user_id") or _cookie_user()
    if user_id is None and sso_configured() and getattr(st.user, "is_logged_in", False):
        email = auth.sso_email(st.user)  # None unless the provider verified the address
        user_id = auth.user_id_for_email(data.engine(), email, data.is_demo()) if email else None
        if user_id is None:
            st.session_state["sso_unknown"] = st.user.get("email") or "?"
            st.session_state["sso_unverified"] = email is None
            return None
    if user_id is None:
        return None
    scope = auth.load_scope(data.engine(), user_id)
    if scope is None:
        sign_out()
        return None
    st.session_state["user_id"] = user_id
    return scope


def signed_in(user_id: int) -> None:
    """After a successful sign-in: remember the user in this session and in a signed cookie."""
    st.session_state["user_id"] = user_id
    for key in ("signed_out", "cookie_cleared"):
        st.session_state.pop(key, None)
    st.session_state["cookie_to_set"] = auth.issue_token(data.engine(), user_id, _secret())


def sign_out() -> None:
    for key in ("user_id", "scope", "sso_unknown", "sso_unverified", "cookie_to_set", "cookie_cleared"):
        st.session_state.pop(key, None)
    st.session_state["signed_out"] = True


def write_cookie() -> None:
    """Set (after sign-in) or clear (after sign-out) the session cookie in the browser. The token
    is ours, never data from the database: a tiny script in a zero-height component."""
    token = st.session_state.pop("cookie_to_set", None)
    if token:
        max_age = auth.TOKEN_HOURS * 3600
        components.html(f"<script>document.cookie = '{COOKIE}={token}; path=/; max-age={max_age}; "
                        f"SameSite=Strict';</script>", height=0)
    elif st.session_state.get("signed_out") and not st.session_state.get("cookie_cleared"):
        components.html(f"<script>document.cookie = '{COOKIE}=; path=/; max-age=0; SameSite=Strict';</script>",
                        height=0)
        st.session_state["cookie_cleared"] = True


def scope() -> auth.Scope:
    """The scope the router established for this run (pages only run after it)."""
    return st.session_state["scope"]


def suppress_small_cells() -> bool:
    """True when counts of people from 1 to 4 must be shown as "< 5" (funder views)."""
    current = st.session_state.get("scope")
    if current is not None:
        return current.suppress_small_cells
    user = st.session_state.get("user")  # tests that only set a role
    return bool(user and user.get("role") == "funder")
