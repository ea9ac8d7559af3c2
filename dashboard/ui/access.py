"""Who is looking: the signed-in user's scope, recomputed on the server at every run.

The router calls :func:`current_scope` first; pages and the data layer read the scope from
``st.session_state["scope"]``, which only the router writes. Nothing the browser sends can set it:
widget values and query parameters live under other keys, and the session cookie (``HttpOnly``,
set by the sign-in route of dashboard/web.py) carries only the random token of a server-side
session, checked in the database at every run: signing out, a password change or reset, disabling
the account, or the idle or absolute expiry sign an open tab out at its next click.
"""
from __future__ import annotations

import html
import threading
from contextlib import contextmanager

import streamlit as st

from .. import auth, web
from ..i18n import t
from . import data

COOKIE = web.COOKIE
#: Session-state key for a session token given by the server itself (tests; never a widget key).
TOKEN_KEY = "session_token"


def sso_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OIDC through st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def _token() -> str | None:
    """The session token of this browser: its cookie (sent when the tab connected)."""
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser context (tests, bare mode)
        token = None
    if not isinstance(token, str) or not token:
        token = st.session_state.get(TOKEN_KEY)
    return token if isinstance(token, str) else None


def current_scope() -> auth.Scope | None:
    """The signed-in user's scope, or None (sign-in needed): the session row is checked at every
    run, so an ended session or a disabled account signs the tab out at once."""
    for key in ("sso_unknown", "sso_unverified"):
        st.session_state.pop(key, None)
    user_id = auth.session_user(data.engine(), _token())
    if user_id is None and sso_configured() and getattr(st.user, "is_logged_in", False):
        email = auth.sso_email(st.user)  # None unless the provider verified the address
        user_id = auth.user_id_for_email(data.engine(), email, data.is_demo()) if email else None
        if user_id is None:
            st.session_state["sso_unknown"] = st.user.get("email") or "?"
            st.session_state["sso_unverified"] = email is None
            return None
    if user_id is None:
        return None
    return auth.load_scope(data.engine(), user_id)


def _action(path: str) -> str:
    return html.escape(web.base_path() + path, quote=True)


_STYLE = """<style>
.dashboard-auth form { display: flex; flex-direction: column; gap: .35rem; max-width: 28rem; }
.dashboard-auth label { font-size: .875rem; margin-top: .4rem; }
.dashboard-auth input { font: inherit; padding: .45rem .6rem; border-radius: .5rem;
  border: 1px solid rgba(49, 51, 63, .3); background: transparent; color: inherit; }
.dashboard-auth button { font: inherit; margin-top: .8rem; padding: .4rem .9rem; border-radius: .5rem;
  cursor: pointer; align-self: flex-start; border: 1px solid rgba(49, 51, 63, .2); }
.dashboard-auth button.primary { background: #1f5f8b; border-color: #1f5f8b; color: #fff; }  /* theme primaryColor */
</style>"""


def sign_in_form(lang: str) -> None:
    """The e-mail / password form, posted to /auth/signin (dashboard/web.py). Markup of ours only:
    the catalogue's labels, escaped; nothing from the database, the URL or the user."""
    e = {key: html.escape(t(key, lang), quote=True) for key in ("auth.email", "auth.password", "auth.submit")}
    st.html(f"""{_STYLE}<div class="dashboard-auth"><form method="post" action="{_action('/auth/signin')}">
<label for="signin-email">{e['auth.email']}</label>
<input id="signin-email" name="email" type="email" autocomplete="username" required>
<label for="signin-password">{e['auth.password']}</label>
<input id="signin-password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" class="primary">{e['auth.submit']}</button></form></div>""")


def sign_out_form(lang: str) -> None:
    """The sign-out button: a form posted to /auth/signout (ends the session, clears the cookie)."""
    label = html.escape(t("auth.sign_out", lang), quote=True)
    st.html(f"""{_STYLE}<div class="dashboard-auth"><form method="post" action="{_action('/auth/signout')}">
<button type="submit">{label}</button></form></div>""")


_routed = threading.local()  # the page the router is running in this thread (one script run)


@contextmanager
def routing(key: str):
    """The router runs page ``key`` inside this: the page's :func:`require_page` then lets it draw.
    A thread-local, set on the server around ``page.run()``: nothing a browser sends can set it."""
    _routed.page = key
    try:
        yield
    finally:
        _routed.page = None


def require_page(key: str) -> None:
    """The first step of every script in ``pages/``: draw only when the router runs this page for a
    session whose scope includes it. Run any other way (Streamlit runs the files of a ``pages/``
    folder as pages of their own until a server's first ``st.navigation`` call, so a first request
    straight to ``/budget`` would run ``pages/budget.py`` without the router): a sentence, a link to
    the sign-in page, and stop, before anything is read."""
    if getattr(_routed, "page", None) == key:
        current = st.session_state.get("scope")
        if key == "signin" or (current is not None and key in current.pages):
            return
    from .filters import current_lang

    lang = current_lang()
    st.info(t("auth.direct", lang), icon=":material/lock:")
    st.link_button(t("auth.go_home", lang), web.base_path() + "/")
    st.stop()


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
