"""Connexion / Sign in: local accounts (e-mail + password), single sign-on when configured, and
the demo accounts in demo mode only."""
import streamlit as st

from dashboard import auth
from dashboard.i18n import t
from dashboard.ui import access, data
from dashboard.ui.filters import current_lang

lang = current_lang()
st.title(t("auth.title", lang))

unknown = st.session_state.get("sso_unknown")
if unknown:
    st.subheader(t("auth.no_access_title", lang))
    reason = "auth.unverified_email" if st.session_state.get("sso_unverified") else "auth.no_access"
    st.warning(t(reason, lang, email=unknown), icon=":material/block:")
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
if submitted:
    result = auth.authenticate(data.engine(), email, password, demo_mode=data.is_demo())
    if result.user_id is not None:
        access.signed_in(result.user_id)
        st.rerun()
    elif result.key == "auth.wait":
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
