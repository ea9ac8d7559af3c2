"""Connexion / Sign in: local accounts (e-mail + password), single sign-on when configured, and
the demo accounts in demo mode only."""
import streamlit as st

from dashboard import auth
from dashboard.i18n import t
from dashboard.ui import access, data
from dashboard.ui import widgets as w
from dashboard.ui.filters import current_lang

lang = current_lang()
st.title(t("auth.title", lang))

unknown = st.session_state.get("sso_unknown")
if unknown:
    st.subheader(t("auth.no_access_title", lang))
    st.warning(t("auth.no_access", lang, email=unknown), icon=":material/block:")
    if st.button(t("auth.sign_out", lang)):
        access.sign_out()
        st.logout()
    st.stop()

st.write(t("auth.intro", lang))
if access.sso_configured():
    if st.button(t("auth.sso", lang), type="primary", icon=":material/key:"):
        st.login()

with st.form("signin", border=True):
    email = st.text_input(t("auth.email", lang), key="signin_email")
    password = st.text_input(t("auth.password", lang), type="password", key="signin_password")
    submitted = st.form_submit_button(t("auth.submit", lang), type="primary")
result = None
if submitted:
    # A database error (e.g. another process holding a write lock) becomes a sentence: the
    # exception's text would show the SQL statement and its parameters (the e-mail typed).
    with w.friendly_errors(lang):
        result = auth.authenticate(data.engine(), email, password, demo_mode=data.is_demo())
        if result.user_id is not None:
            access.signed_in(result.user_id)
            st.rerun()
if result is not None and result.user_id is None:
    if result.key == "auth.wait":
        st.error(t("auth.wait", lang, seconds=result.wait_seconds), icon=":material/timer:")
    else:
        st.error(t("auth.bad_credentials", lang), icon=":material/error:")
        if result.wait_seconds:
            st.caption(t("auth.wait", lang, seconds=result.wait_seconds))

if data.is_demo():
    st.subheader(t("auth.demo_title", lang))
    st.info(t("auth.demo_intro", lang), icon=":material/science:")
    st.table([{t("auth.email", lang): a["email"], t("auth.password", lang): a["password"],
               t("admin.role", lang): t(f"role.{a['role']}", lang)} for a in auth.DEMO_ACCOUNTS])
