"""Who is looking: the signed-in user's scope, recomputed on the server at every run.

The router calls :func:`current_scope` first; pages and the data layer read the scope from
``st.session_state["scope"]``, which only the router writes. Nothing the browser sends can set it:
widget values and query parameters live under other keys.
"""
from __future__ import annotations

import streamlit as st

from .. import auth
from . import data


def sso_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OIDC through st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def current_scope() -> auth.Scope | None:
    """The signed-in user's scope, or None (sign-in needed). A disabled account is signed out."""
    user_id = st.session_state.get("user_id")
    if user_id is None and sso_configured() and getattr(st.user, "is_logged_in", False):
        user_id = auth.user_id_for_email(data.engine(), st.user.get("email"), data.is_demo())
        if user_id is None:
            st.session_state["sso_unknown"] = st.user.get("email")
            return None
        st.session_state["user_id"] = user_id
    if user_id is None:
        return None
    scope = auth.load_scope(data.engine(), user_id)
    if scope is None:
        sign_out()
    return scope


def sign_out() -> None:
    for key in ("user_id", "scope", "sso_unknown"):
        st.session_state.pop(key, None)


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
